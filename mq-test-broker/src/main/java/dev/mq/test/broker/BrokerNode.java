package dev.mq.test.broker;

import java.io.File;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * A master Apache RocketMQ Broker sized for a small test machine: 127.0.0.1 only, every file under
 * {@code --store}, small mapped files, asynchronous flush and relaxed disk-ratio checks.
 */
final class BrokerNode implements Node {

    private static final long REGISTRATION_TIMEOUT_MS = 30_000;
    private static final int MIB = 1024 * 1024;

    private final String brokerName;
    private final String clusterName;
    private final int port;
    private final String nameServer;
    private final File store;
    private final boolean autoCreateTopic;
    private final long sendQueueWaitMs;
    private final String authAccessKey;
    private final String authSecretKey;
    private BrokerController controller;

    BrokerNode(Map<String, String> options) {
        this.brokerName = Node.require(options, "name");
        this.clusterName = Node.require(options, "cluster");
        this.port = Integer.parseInt(Node.require(options, "port"));
        this.nameServer = Node.require(options, "namesrv");
        this.store = new File(Node.require(options, "store"));
        this.autoCreateTopic = Boolean.parseBoolean(options.getOrDefault("autoCreateTopic", "true"));
        this.sendQueueWaitMs = Long.parseLong(options.getOrDefault("sendQueueWaitMs", "1000"));
        this.authAccessKey = options.get("authAccessKey");
        this.authSecretKey = options.get("authSecretKey");
        if ((authAccessKey == null) != (authSecretKey == null)) {
            throw new IllegalArgumentException("--authAccessKey and --authSecretKey go together");
        }
    }

    @Override
    public void start() throws Exception {
        BrokerConfig broker = new BrokerConfig();
        broker.setRocketmqHome(store.getPath());
        broker.setBrokerName(brokerName);
        broker.setBrokerClusterName(clusterName);
        broker.setBrokerId(MixAll.MASTER_ID);
        broker.setBrokerIP1("127.0.0.1");
        broker.setNamesrvAddr(nameServer);
        broker.setAutoCreateTopicEnable(autoCreateTopic);
        // The default 200 ms makes a cold broker on two cores answer "broker busy" to bursts.
        broker.setWaitTimeMillsInSendQueue(sendQueueWaitMs);
        broker.setBrokerConfigPath(new File(store, "broker.properties").getPath());

        NettyServerConfig server = new NettyServerConfig();
        server.setBindAddress("127.0.0.1");
        server.setListenPort(port);

        MessageStoreConfig storeConfig = new MessageStoreConfig();
        storeConfig.setStorePathRootDir(store.getPath());
        storeConfig.setStorePathCommitLog(new File(store, "commitlog").getPath());
        storeConfig.setMappedFileSizeCommitLog(64 * MIB);
        storeConfig.setMappedFileSizeConsumeQueue(100_000 * 20);
        storeConfig.setMappedFileSizeConsumeQueueExt(4 * MIB);
        storeConfig.setMappedFileSizeTimerLog(8 * MIB);
        storeConfig.setMaxHashSlotNum(50_000);
        storeConfig.setMaxIndexNum(200_000);
        storeConfig.setFlushDiskType(FlushDiskType.ASYNC_FLUSH);
        storeConfig.setDiskMaxUsedSpaceRatio(95);
        storeConfig.setDiskSpaceWarningLevelRatio(98);
        storeConfig.setDiskSpaceCleanForciblyRatio(97);
        storeConfig.setHaListenPort(port + 1);

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
        awaitRegistered();
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

    /** The first registration can be lost and the periodic one starts 10 s later: push until visible. */
    private void awaitRegistered() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REGISTRATION_TIMEOUT_MS);
        while (!isRegistered()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("broker " + brokerName + " not visible on name server " + nameServer);
            }
            controller.registerBrokerAll(true, false, true);
            Thread.sleep(200);
        }
    }

    private boolean isRegistered() {
        try {
            ClusterInfo info = controller.getBrokerOuterAPI().getBrokerClusterInfo();
            BrokerData data = info.getBrokerAddrTable().get(brokerName);
            return data != null && address().equals(data.getBrokerAddrs().get(MixAll.MASTER_ID));
        } catch (Exception e) {
            return false;
        }
    }

    private String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public String handle(String[] command) throws Exception {
        return switch (command[0]) {
            case "PING" -> "PONG";
            case "TOPIC" -> createTopic(command[1], Integer.parseInt(command[2]));
            case "REGISTER" -> {
                awaitRegistered();
                yield address();
            }
            default -> throw new IllegalArgumentException("unknown command " + command[0]);
        };
    }

    private String createTopic(String topic, int queues) throws Exception {
        TopicConfig config = new TopicConfig(topic, queues, queues, PermName.PERM_READ | PermName.PERM_WRITE);
        controller.getTopicConfigManager().updateTopicConfig(config);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REGISTRATION_TIMEOUT_MS);
        while (!routeHas(topic, queues)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " not visible on name server " + nameServer);
            }
            controller.registerBrokerAll(true, false, true);
            Thread.sleep(100);
        }
        return topic;
    }

    private boolean routeHas(String topic, int queues) {
        try {
            TopicRouteData route = controller.getBrokerOuterAPI().getTopicRouteInfoFromNameServer(topic, 3_000);
            for (QueueData queue : route.getQueueDatas()) {
                if (queue.getBrokerName().equals(brokerName) && queue.getWriteQueueNums() == queues) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void shutdown() {
        controller.shutdown();
    }
}
