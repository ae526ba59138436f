package dev.mq.test.broker;

import dev.mq.test.launcher.AbstractBrokerNode;
import dev.mq.test.launcher.NodeOptions;
import java.io.File;
import org.apache.rocketmq.auth.authentication.enums.UserType;
import org.apache.rocketmq.auth.authentication.model.User;
import org.apache.rocketmq.auth.authentication.provider.LocalAuthenticationMetadataProvider;
import org.apache.rocketmq.auth.config.AuthConfig;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.store.config.FlushDiskType;
import org.apache.rocketmq.store.config.MessageStoreConfig;

/**
 * A master Apache RocketMQ 5.x Broker sized for a small test machine: 127.0.0.1 only, every file under
 * {@code --store}, small mapped files, asynchronous flush and relaxed disk-ratio checks. With
 * {@code --authAccessKey} it authenticates every request (ACL 2.0).
 */
final class BrokerNode extends AbstractBrokerNode {

    private static final long QUERY_TIMEOUT_MS = 3_000;

    private BrokerController controller;
    private BrokerConfig brokerConfig;
    private MessageStoreConfig storeConfig;

    BrokerNode(NodeOptions options) {
        super(options);
    }

    @Override
    protected void startBroker() throws Exception {
        BrokerConfig broker = new BrokerConfig();
        broker.setRocketmqHome(store.getPath());
        broker.setBrokerName(brokerName);
        broker.setBrokerClusterName(clusterName);
        broker.setBrokerId(MixAll.MASTER_ID);
        broker.setBrokerIP1("127.0.0.1");
        broker.setNamesrvAddr(nameServer);
        broker.setAutoCreateTopicEnable(autoCreateTopic);
        broker.setWaitTimeMillsInSendQueue(sendQueueWaitMs);
        broker.setBrokerConfigPath(configFile().getPath());

        NettyServerConfig server = new NettyServerConfig();
        server.setBindAddress("127.0.0.1");
        server.setListenPort(port);

        MessageStoreConfig storeConfig = new MessageStoreConfig();
        storeConfig.setStorePathRootDir(store.getPath());
        storeConfig.setStorePathCommitLog(commitLogDirectory().getPath());
        storeConfig.setMappedFileSizeCommitLog(COMMIT_LOG_FILE_SIZE);
        storeConfig.setMappedFileSizeConsumeQueue(CONSUME_QUEUE_FILE_SIZE);
        storeConfig.setMappedFileSizeConsumeQueueExt(CONSUME_QUEUE_EXT_FILE_SIZE);
        storeConfig.setMappedFileSizeTimerLog(8 * MIB);
        storeConfig.setMaxHashSlotNum(INDEX_HASH_SLOTS);
        storeConfig.setMaxIndexNum(INDEX_ENTRIES);
        storeConfig.setFlushDiskType(FlushDiskType.ASYNC_FLUSH);
        storeConfig.setDiskMaxUsedSpaceRatio(DISK_MAX_USED_RATIO);
        storeConfig.setDiskSpaceWarningLevelRatio(DISK_WARNING_RATIO);
        storeConfig.setDiskSpaceCleanForciblyRatio(DISK_CLEAN_FORCIBLY_RATIO);
        storeConfig.setHaListenPort(port + 1);
        // A test's own settings last, so they may override the sizing above.
        MixAll.properties2Object(brokerProperties, broker);
        MixAll.properties2Object(brokerProperties, storeConfig);
        this.brokerConfig = broker;
        this.storeConfig = storeConfig;

        controller = new BrokerController(broker, server, new NettyClientConfig(), storeConfig, authConfig());
        if (!controller.initialize()) {
            throw new IllegalStateException("Broker failed to initialize");
        }
        if (authAccessKey != null) {
            // A super user: authorization is off anyway, so any signed request of this user passes.
            controller.getAuthenticationMetadataManager()
                    .createUser(User.of(authAccessKey, authSecretKey, UserType.SUPER)).join();
        }
        controller.start();
    }

    /**
     * ACL 2.0 as {@code BrokerStartup} would set it up from {@code authenticationEnabled=true} and
     * {@code authenticationMetadataProvider=...LocalAuthenticationMetadataProvider} in broker.conf: users
     * live in a RocksDB under the store. Without {@code --authAccessKey} the broker gets no AuthConfig at
     * all, as before (no request pipeline).
     */
    private AuthConfig authConfig() {
        if (authAccessKey == null) {
            return null;
        }
        AuthConfig auth = new AuthConfig();
        auth.setConfigName(brokerName);
        auth.setClusterName(clusterName);
        auth.setAuthConfigPath(new File(store, "config").getPath());
        auth.setAuthenticationEnabled(true);
        auth.setAuthenticationMetadataProvider(LocalAuthenticationMetadataProvider.class.getName());
        return auth;
    }

    @Override
    protected void registerWithNameServer() {
        controller.registerBrokerAll(true, false, true);
    }

    @Override
    protected String masterAddressOnNameServer() {
        try {
            ClusterInfo info = controller.getBrokerOuterAPI().getBrokerClusterInfo();
            BrokerData data = info.getBrokerAddrTable().get(brokerName);
            return data == null ? null : data.getBrokerAddrs().get(MixAll.MASTER_ID);
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    protected void putTopic(String topic, int queues) {
        TopicConfig config = new TopicConfig(topic, queues, queues, PermName.PERM_READ | PermName.PERM_WRITE);
        controller.getTopicConfigManager().updateTopicConfig(config);
    }

    @Override
    protected int writeQueuesOnNameServer(String topic) {
        try {
            TopicRouteData route = controller.getBrokerOuterAPI().getTopicRouteInfoFromNameServer(topic, QUERY_TIMEOUT_MS);
            for (QueueData queue : route.getQueueDatas()) {
                if (queue.getBrokerName().equals(brokerName)) {
                    return queue.getWriteQueueNums();
                }
            }
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    protected String configValue(String key) {
        String value = MixAll.object2Properties(brokerConfig).getProperty(key);
        return value != null ? value : MixAll.object2Properties(storeConfig).getProperty(key);
    }

    @Override
    protected void stopBroker() {
        controller.shutdown();
    }
}
