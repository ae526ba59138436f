package dev.mq.test.launcher;

import java.io.File;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What a master broker does the same way on either release line: its options, its commands
 * ({@code PING}, {@code TOPIC name queues}, {@code REGISTER}), the waits until the NameServer shows its
 * registration or a topic, and the settings that size it for a small test machine. A subclass makes
 * the RocketMQ calls of its release.
 *
 * <p>Options: {@code --name --cluster --port --namesrv --store} (required), {@code --autoCreateTopic}
 * (default true), {@code --sendQueueWaitMs} (default 1000), {@code --authAccessKey} and
 * {@code --authSecretKey} (together or not at all), and any number of {@code --broker.<key>=<value>}: a
 * RocketMQ broker or store setting by its {@code broker.conf} name (e.g. {@code transactionCheckInterval}),
 * applied after the test-machine settings above so that a test may override them. Command
 * {@code CONFIG key} answers the value the running broker holds for {@code key}.
 */
public abstract class AbstractBrokerNode implements Node {

    protected static final int MIB = 1024 * 1024;

    /** Commit-log file size: 64 MiB instead of 1 GiB. */
    protected static final int COMMIT_LOG_FILE_SIZE = 64 * MIB;
    /** Consume-queue file size: 100,000 entries of 20 bytes. */
    protected static final int CONSUME_QUEUE_FILE_SIZE = 100_000 * 20;
    protected static final int CONSUME_QUEUE_EXT_FILE_SIZE = 4 * MIB;
    protected static final int INDEX_HASH_SLOTS = 50_000;
    protected static final int INDEX_ENTRIES = 200_000;
    /** Disk-usage thresholds in percent, raised so that a nearly full build disk does not stop sends. */
    protected static final int DISK_MAX_USED_RATIO = 95;
    protected static final int DISK_WARNING_RATIO = 98;
    protected static final int DISK_CLEAN_FORCIBLY_RATIO = 97;

    private static final long REGISTRATION_TIMEOUT_MS = 30_000;

    /** Option prefix of a broker setting passed through by name. */
    public static final String BROKER_PROPERTY_PREFIX = "broker.";

    protected final String brokerName;
    protected final String clusterName;
    protected final int port;
    protected final String nameServer;
    /** Every file of the broker (store, config, logs) lives under this directory. */
    protected final File store;
    protected final boolean autoCreateTopic;
    /** How long a send may wait in the broker's queue; the default 200 ms makes a cold broker on two cores answer "broker busy" to bursts. */
    protected final long sendQueueWaitMs;
    /** The one user of ACL authentication, or {@code null} for none. */
    protected final String authAccessKey;
    protected final String authSecretKey;
    /** The {@code --broker.<key>} settings, by their {@code broker.conf} names. */
    protected final Properties brokerProperties;

    protected AbstractBrokerNode(NodeOptions options) {
        this.brokerName = options.require("name");
        this.clusterName = options.require("cluster");
        this.port = options.requireInt("port");
        this.nameServer = options.require("namesrv");
        this.store = options.requireFile("store");
        this.autoCreateTopic = Boolean.parseBoolean(options.get("autoCreateTopic", "true"));
        this.sendQueueWaitMs = Long.parseLong(options.get("sendQueueWaitMs", "1000"));
        this.authAccessKey = options.get("authAccessKey");
        this.authSecretKey = options.get("authSecretKey");
        this.brokerProperties = options.withPrefix(BROKER_PROPERTY_PREFIX);
        if ((authAccessKey == null) != (authSecretKey == null)) {
            throw new IllegalArgumentException("--authAccessKey and --authSecretKey go together");
        }
    }

    /** Builds, initializes and starts the broker. */
    protected abstract void startBroker() throws Exception;

    /** Sends the broker's registration, with every topic, to the NameServer now. */
    protected abstract void registerWithNameServer() throws Exception;

    /** The master address the NameServer's cluster view lists for this broker; {@code null} if none or unreachable. */
    protected abstract String masterAddressOnNameServer();

    /** Creates or updates {@code topic} with {@code queues} read and write queues on this broker. */
    protected abstract void putTopic(String topic, int queues) throws Exception;

    /** The write queues the NameServer's route of {@code topic} gives this broker; -1 if none or unreachable. */
    protected abstract int writeQueuesOnNameServer(String topic);

    protected abstract void stopBroker();

    /** The value the running broker holds for setting {@code key} (broker or store config); {@code null} if none. */
    protected abstract String configValue(String key);

    @Override
    public final void start() throws Exception {
        startBroker();
        awaitRegistered();
    }

    @Override
    public String handle(String[] command) throws Exception {
        return switch (command[0]) {
            case "TOPIC" -> createTopic(command[1], Integer.parseInt(command[2]));
            case "CONFIG" -> String.valueOf(configValue(command[1]));
            case "REGISTER" -> {
                awaitRegistered();
                yield address();
            }
            default -> Node.super.handle(command);
        };
    }

    @Override
    public final void shutdown() {
        stopBroker();
    }

    /** {@code 127.0.0.1:port}, the address the broker advertises. */
    protected final String address() {
        return "127.0.0.1:" + port;
    }

    /** The broker's configuration file. */
    protected final File configFile() {
        return new File(store, "broker.properties");
    }

    protected final File commitLogDirectory() {
        return new File(store, "commitlog");
    }

    /** The first registration can be lost and the periodic one starts 10 s later: push until visible. */
    private void awaitRegistered() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REGISTRATION_TIMEOUT_MS);
        while (!address().equals(masterAddressOnNameServer())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("broker " + brokerName + " not visible on name server " + nameServer);
            }
            registerWithNameServer();
            Thread.sleep(200);
        }
    }

    private String createTopic(String topic, int queues) throws Exception {
        putTopic(topic, queues);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REGISTRATION_TIMEOUT_MS);
        while (writeQueuesOnNameServer(topic) != queues) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " not visible on name server " + nameServer);
            }
            registerWithNameServer();
            Thread.sleep(100);
        }
        return topic;
    }
}
