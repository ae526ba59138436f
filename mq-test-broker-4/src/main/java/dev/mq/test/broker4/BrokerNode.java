package dev.mq.test.broker4;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
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
 */
final class BrokerNode implements Node {

    private static final long REGISTRATION_TIMEOUT_MS = 30_000;
    private static final long QUERY_TIMEOUT_MS = 3_000;
    private static final int MIB = 1024 * 1024;

    private final String brokerName;
    private final String clusterName;
    private final int port;
    private final String nameServer;
    private final File store;
    private final boolean autoCreateTopic;
    private final long sendQueueWaitMs;
    private BrokerController controller;
    private NettyRemotingClient nameServerClient;

    BrokerNode(Map<String, String> options) {
        this.brokerName = Node.require(options, "name");
        this.clusterName = Node.require(options, "cluster");
        this.port = Integer.parseInt(Node.require(options, "port"));
        this.nameServer = Node.require(options, "namesrv");
        this.store = new File(Node.require(options, "store"));
        this.autoCreateTopic = Boolean.parseBoolean(options.getOrDefault("autoCreateTopic", "true"));
        this.sendQueueWaitMs = Long.parseLong(options.getOrDefault("sendQueueWaitMs", "1000"));
    }

    @Override
    public void start() throws Exception {
        // 4.9 reads these two thresholds from system properties once, when the store's clean-up
        // service class loads (defaults 0.90 and 0.85); set them before anything touches the store.
        System.setProperty("rocketmq.broker.diskSpaceWarningLevelRatio", "0.98");
        System.setProperty("rocketmq.broker.diskSpaceCleanForciblyRatio", "0.97");

        BrokerConfig broker = new BrokerConfig();
        broker.setRocketmqHome(store.getPath());
        broker.setBrokerName(brokerName);
        broker.setBrokerClusterName(clusterName);
        broker.setBrokerId(MixAll.MASTER_ID);
        broker.setBrokerIP1("127.0.0.1");
        broker.setBrokerIP2("127.0.0.1");
        broker.setNamesrvAddr(nameServer);
        broker.setAutoCreateTopicEnable(autoCreateTopic);
        // The default 200 ms makes a cold broker on two cores answer "broker busy" to bursts.
        broker.setWaitTimeMillsInSendQueue(sendQueueWaitMs);
        // 4.9 keeps this path in a static (default ~/store/config/broker.properties).
        BrokerPathConfigHelper.setBrokerConfigPath(new File(store, "broker.properties").getPath());

        NettyServerConfig server = new NettyServerConfig();
        server.setListenPort(port);

        MessageStoreConfig storeConfig = new MessageStoreConfig();
        storeConfig.setStorePathRootDir(store.getPath());
        storeConfig.setStorePathCommitLog(new File(store, "commitlog").getPath());
        storeConfig.setMappedFileSizeCommitLog(64 * MIB);
        storeConfig.setMappedFileSizeConsumeQueue(100_000 * 20);
        storeConfig.setMappedFileSizeConsumeQueueExt(4 * MIB);
        storeConfig.setMaxHashSlotNum(50_000);
        storeConfig.setMaxIndexNum(200_000);
        storeConfig.setFlushDiskType(FlushDiskType.ASYNC_FLUSH);
        storeConfig.setDiskMaxUsedSpaceRatio(95);
        storeConfig.setHaListenPort(port + 1);

        nameServerClient = new NettyRemotingClient(new NettyClientConfig());
        nameServerClient.start();

        controller = new BrokerController(broker, server, new NettyClientConfig(), storeConfig);
        if (!controller.initialize()) {
            throw new IllegalStateException("Broker failed to initialize");
        }
        controller.start();
        awaitRegistered();
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
            RemotingCommand request = RemotingCommand.createRequestCommand(RequestCode.GET_BROKER_CLUSTER_INFO, null);
            RemotingCommand response = nameServerClient.invokeSync(nameServer, request, QUERY_TIMEOUT_MS);
            if (response.getCode() != RemotingSysResponseCode.SUCCESS || response.getBody() == null) {
                return false;
            }
            ClusterInfo info = RemotingSerializable.decode(response.getBody(), ClusterInfo.class);
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
            GetRouteInfoRequestHeader header = new GetRouteInfoRequestHeader();
            header.setTopic(topic);
            RemotingCommand request = RemotingCommand.createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, header);
            RemotingCommand response = nameServerClient.invokeSync(nameServer, request, QUERY_TIMEOUT_MS);
            if (response.getCode() != RemotingSysResponseCode.SUCCESS || response.getBody() == null) {
                return false;
            }
            TopicRouteData route = RemotingSerializable.decode(response.getBody(), TopicRouteData.class);
            List<QueueData> queueData = route.getQueueDatas();
            for (QueueData queue : queueData) {
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
        nameServerClient.shutdown();
    }
}
