package dev.mq.test.broker4;

import dev.mq.test.launcher.AbstractBrokerNode;
import dev.mq.test.launcher.NodeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.broker.BrokerPathConfigHelper;
import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.protocol.RequestCode;
import org.apache.rocketmq.common.protocol.body.ClusterInfo;
import org.apache.rocketmq.common.protocol.header.namesrv.GetRouteInfoRequestHeader;
import org.apache.rocketmq.common.protocol.route.BrokerData;
import org.apache.rocketmq.common.protocol.route.QueueData;
import org.apache.rocketmq.common.protocol.route.TopicRouteData;
import org.apache.rocketmq.remoting.CommandCustomHeader;
import org.apache.rocketmq.remoting.common.TlsMode;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.remoting.netty.TlsSystemConfig;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RemotingSerializable;
import org.apache.rocketmq.remoting.protocol.RemotingSysResponseCode;
import org.apache.rocketmq.store.config.FlushDiskType;
import org.apache.rocketmq.store.config.MessageStoreConfig;

/**
 * A master Apache RocketMQ 4.9 Broker sized for a small test machine: every file under
 * {@code --store}, small mapped files, asynchronous flush and relaxed disk-ratio checks.
 *
 * <p>4.x has no bind setting, so the broker listens on every interface (port, port − 2 and HA
 * port + 1) but advertises 127.0.0.1 through {@code brokerIP1}. Its outer API cannot read the
 * NameServer's views, so this node asks the NameServer itself with a plain remoting client.
 *
 * <p>With {@code --authAccessKey} the broker checks every request against ACL 1.0 (4.9's
 * {@code aclEnable}): one admin account in {@code <store>/conf/plain_acl.yml}, no white-listed
 * address, so a request must be signed with exactly that pair. 4.9 NameServers do not check ACL.
 */
final class BrokerNode extends AbstractBrokerNode {

    private static final long QUERY_TIMEOUT_MS = 3_000;

    private BrokerController controller;
    private BrokerConfig brokerConfig;
    private MessageStoreConfig storeConfig;
    private NettyRemotingClient nameServerClient;

    BrokerNode(NodeOptions options) {
        super(options);
    }

    @Override
    protected void startBroker() throws Exception {
        // 4.9 reads these two thresholds from system properties once, when the store's clean-up
        // service class loads (defaults 0.90 and 0.85); set them before anything touches the store.
        System.setProperty("rocketmq.broker.diskSpaceWarningLevelRatio", fraction(DISK_WARNING_RATIO));
        System.setProperty("rocketmq.broker.diskSpaceCleanForciblyRatio", fraction(DISK_CLEAN_FORCIBLY_RATIO));

        BrokerConfig broker = new BrokerConfig();
        broker.setRocketmqHome(store.getPath());
        broker.setBrokerName(brokerName);
        broker.setBrokerClusterName(clusterName);
        broker.setBrokerId(MixAll.MASTER_ID);
        broker.setBrokerIP1("127.0.0.1");
        broker.setBrokerIP2("127.0.0.1");
        broker.setNamesrvAddr(nameServer);
        broker.setAutoCreateTopicEnable(autoCreateTopic);
        broker.setWaitTimeMillsInSendQueue(sendQueueWaitMs);
        if (authAccessKey != null) {
            writeAclFile();
            broker.setAclEnable(true);
        }
        // 4.9 keeps this path in a static (default ~/store/config/broker.properties).
        BrokerPathConfigHelper.setBrokerConfigPath(configFile().getPath());

        NettyServerConfig server = new NettyServerConfig();
        server.setListenPort(port);

        MessageStoreConfig storeConfig = new MessageStoreConfig();
        storeConfig.setStorePathRootDir(store.getPath());
        storeConfig.setStorePathCommitLog(commitLogDirectory().getPath());
        storeConfig.setMappedFileSizeCommitLog(COMMIT_LOG_FILE_SIZE);
        storeConfig.setMappedFileSizeConsumeQueue(CONSUME_QUEUE_FILE_SIZE);
        storeConfig.setMappedFileSizeConsumeQueueExt(CONSUME_QUEUE_EXT_FILE_SIZE);
        storeConfig.setMaxHashSlotNum(INDEX_HASH_SLOTS);
        storeConfig.setMaxIndexNum(INDEX_ENTRIES);
        storeConfig.setFlushDiskType(FlushDiskType.ASYNC_FLUSH);
        storeConfig.setDiskMaxUsedSpaceRatio(DISK_MAX_USED_RATIO);
        storeConfig.setHaListenPort(port + 1);
        // A test's own settings last, so they may override the sizing above.
        MixAll.properties2Object(brokerProperties, broker);
        MixAll.properties2Object(brokerProperties, storeConfig);
        this.brokerConfig = broker;
        this.storeConfig = storeConfig;

        nameServerClient = new NettyRemotingClient(clientConfig());
        nameServerClient.start();

        controller = new BrokerController(broker, server, clientConfig(), storeConfig);
        if (!controller.initialize()) {
            throw new IllegalStateException("Broker failed to initialize");
        }
        controller.start();
    }

    /**
     * ACL 1.0's accounts file where 4.9's validator looks for it, {@code <rocketmq.home.dir>/conf/plain_acl.yml}
     * (the home set to the store, as is this broker's {@code rocketmqHome}): one admin, who may do
     * anything, so that only the signature decides.
     */
    private void writeAclFile() throws IOException {
        System.setProperty(MixAll.ROCKETMQ_HOME_PROPERTY, store.getPath());
        Path conf = Files.createDirectories(store.toPath().resolve("conf"));
        // A test fixture's throwaway account, quoted so that YAML reads both keys as strings.
        Files.writeString(conf.resolve("plain_acl.yml"), String.join("\n",
                "globalWhiteRemoteAddresses: []",
                "accounts:",
                "  - accessKey: '" + authAccessKey + "'",
                "    secretKey: '" + authSecretKey + "'",
                "    whiteRemoteAddress: ''",
                "    admin: true",
                "    defaultTopicPerm: PUB|SUB",
                "    defaultGroupPerm: PUB|SUB",
                ""));
    }

    /**
     * The broker's own clients (to the NameServer) speak TLS when the servers enforce it: the rule of
     * 4.9's {@code BrokerStartup}, which this launcher does not go through. (5.x applies it itself.)
     */
    private static NettyClientConfig clientConfig() {
        NettyClientConfig client = new NettyClientConfig();
        client.setUseTLS(Boolean.parseBoolean(System.getProperty(TlsSystemConfig.TLS_ENABLE,
                String.valueOf(TlsSystemConfig.tlsMode == TlsMode.ENFORCING))));
        return client;
    }

    private static String fraction(int percent) {
        return String.valueOf(percent / 100.0);
    }

    @Override
    protected void registerWithNameServer() {
        controller.registerBrokerAll(true, false, true);
    }

    @Override
    protected String masterAddressOnNameServer() {
        try {
            byte[] body = askNameServer(RequestCode.GET_BROKER_CLUSTER_INFO, null);
            BrokerData data = RemotingSerializable.decode(body, ClusterInfo.class).getBrokerAddrTable().get(brokerName);
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
            GetRouteInfoRequestHeader header = new GetRouteInfoRequestHeader();
            header.setTopic(topic);
            byte[] body = askNameServer(RequestCode.GET_ROUTEINFO_BY_TOPIC, header);
            for (QueueData queue : RemotingSerializable.decode(body, TopicRouteData.class).getQueueDatas()) {
                if (queue.getBrokerName().equals(brokerName)) {
                    return queue.getWriteQueueNums();
                }
            }
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The body of the NameServer's answer; throws if it failed or could not be reached. */
    private byte[] askNameServer(int code, CommandCustomHeader header) throws Exception {
        RemotingCommand request = RemotingCommand.createRequestCommand(code, header);
        RemotingCommand response = nameServerClient.invokeSync(nameServer, request, QUERY_TIMEOUT_MS);
        if (response.getCode() != RemotingSysResponseCode.SUCCESS || response.getBody() == null) {
            throw new IllegalStateException("name server answered " + response.getCode() + ": " + response.getRemark());
        }
        return response.getBody();
    }

    @Override
    protected String configValue(String key) {
        String value = MixAll.object2Properties(brokerConfig).getProperty(key);
        return value != null ? value : MixAll.object2Properties(storeConfig).getProperty(key);
    }

    @Override
    protected void stopBroker() {
        controller.shutdown();
        nameServerClient.shutdown();
    }
}
