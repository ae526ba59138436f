package dev.mq.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The real Apache RocketMQ NameServer and Broker(s), started on 127.0.0.1 for tests.
 *
 * <p>Each node runs in a child JVM on the dependency versions RocketMQ was released with, so the
 * broker's Netty 4.1 never meets the Netty 4.2 of the code under test, a stopped broker really is
 * gone (its sockets close as in a crash), and the test JVM's CPU and heap are its own. All files live
 * in a fresh temporary directory that {@link #close()} removes.
 *
 * <pre>{@code
 * try (EmbeddedRocketMQ mq = EmbeddedRocketMQ.builder().brokers(2).build().start()) {
 *     mq.createTopic("Orders", 4);
 *     String nameServer = mq.nameServerAddress();   // "127.0.0.1:port"
 *     mq.stopBroker(1);                             // crash one broker
 *     mq.startBroker(1);                            // and bring it back with its store
 * }
 * }</pre>
 */
public final class EmbeddedRocketMQ implements AutoCloseable {

    /** The system property Spring Boot applications read the name server address from. */
    public static final String NAME_SERVER_PROPERTY = "mq.name-server";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(40);

    private final Builder config;
    private final BrokerRuntime runtime;
    private final Path root;
    private final int nameServerPort;
    private final int[] brokerPorts;
    private final ChildJvm[] brokers;
    private ChildJvm nameServer;
    private boolean started;
    private boolean closed;

    private EmbeddedRocketMQ(Builder config) {
        this.config = config;
        try {
            this.root = Files.createTempDirectory("mq-embedded-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            this.runtime = BrokerRuntime.load(config.rocketmqVersion, root);
        } catch (RuntimeException e) {
            Directories.deleteRecursively(root);
            throw e;
        }
        this.nameServerPort = FreePorts.single();
        this.brokerPorts = new int[config.brokers];
        for (int i = 0; i < brokerPorts.length; i++) {
            brokerPorts[i] = FreePorts.forBroker();
        }
        this.brokers = new ChildJvm[config.brokers];
    }

    /**
     * The jars the nodes run on: Apache RocketMQ with the dependency versions it was released with
     * (Netty 4.1, fastjson, and {@code rocketmq-client} among them). A tool that wants Apache's own
     * client on its own versions, away from the project's Netty 4.2, starts a child JVM on these
     * (the benchmarks do).
     */
    public static List<Path> runtimeLibraries() {
        return BrokerRuntime.libraries();
    }

    /** A builder with one RocketMQ 5.x broker, topic auto-creation on, and heaps fit for a small machine. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the NameServer and every broker and returns when each broker is visible in the
     * NameServer's cluster view, so routes can be asked for at once.
     */
    public synchronized EmbeddedRocketMQ start() {
        checkOpen();
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        try {
            // All JVMs start together: a broker keeps registering until the NameServer lists it, so it
            // does not matter which one is up first, and the start-up times overlap.
            Path home = directory("namesrv");
            nameServer = launchNameServerProcess(home);
            for (int i = 0; i < brokers.length; i++) {
                brokers[i] = launchBroker(i);
            }
            nameServer.awaitReady(config.startTimeout);
            for (ChildJvm broker : brokers) {
                broker.awaitReady(config.startTimeout);
            }
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:port} of the NameServer. */
    public String nameServerAddress() {
        return "127.0.0.1:" + nameServerPort;
    }

    /** The release line this instance runs ({@link RocketMQVersion#V5} unless the builder chose otherwise). */
    public RocketMQVersion rocketmqVersion() {
        return runtime.version();
    }

    public String clusterName() {
        return config.clusterName;
    }

    /** How the servers treat TLS ({@link TlsMode#DISABLED} unless the builder chose otherwise). */
    public TlsMode tlsMode() {
        return config.tlsMode;
    }

    /**
     * The value broker {@code index} holds for setting {@code key} (its {@code BrokerConfig} or
     * {@code MessageStoreConfig}), as text; {@code "null"} when it has no such setting.
     */
    public synchronized String brokerConfig(int index, String key) {
        checkRunning();
        ChildJvm broker = brokers[index];
        if (broker == null || !broker.isAlive()) {
            throw new IllegalStateException("broker " + brokerName(index) + " is not running");
        }
        return broker.call("CONFIG " + key, COMMAND_TIMEOUT);
    }

    /** Whether brokers require signed requests (see {@link Builder#authentication}). */
    public boolean isAuthenticationEnabled() {
        return config.accessKey != null;
    }

    public int brokerCount() {
        return brokers.length;
    }

    /** The name of broker {@code index}: {@code broker-0}, {@code broker-1}, ... */
    public String brokerName(int index) {
        Objects.checkIndex(index, brokers.length);
        return "broker-" + index;
    }

    /** {@code 127.0.0.1:port} that broker {@code index} listens on and registers. */
    public String brokerAddress(int index) {
        Objects.checkIndex(index, brokers.length);
        return "127.0.0.1:" + brokerPorts[index];
    }

    public synchronized boolean isBrokerRunning(int index) {
        Objects.checkIndex(index, brokers.length);
        return brokers[index] != null && brokers[index].isAlive();
    }

    /** The temporary directory holding every node's store and logs; removed by {@link #close()}. */
    public Path directory() {
        return root;
    }

    /**
     * Creates (or updates) {@code topic} with {@code queues} read and write queues on every running
     * broker and returns once the NameServer's route shows it on each of them.
     */
    public synchronized void createTopic(String topic, int queues) {
        checkRunning();
        if (!topic.matches("[%|a-zA-Z0-9_-]{1,127}") || queues < 1) {
            throw new IllegalArgumentException("invalid topic '" + topic + "' or queue count " + queues);
        }
        for (ChildJvm broker : brokers) {
            if (broker != null && broker.isAlive()) {
                broker.call("TOPIC " + topic + " " + queues, COMMAND_TIMEOUT);
            }
        }
    }

    /**
     * Stops broker {@code index} at once, as a crash would (SIGKILL): connections reset, the
     * NameServer drops it from routes, and what it stored stays on disk for {@link #startBroker}.
     */
    public synchronized void stopBroker(int index) {
        checkRunning();
        Objects.checkIndex(index, brokers.length);
        if (brokers[index] != null) {
            brokers[index].kill();
            brokers[index] = null;
        }
    }

    /**
     * Shuts broker {@code index} down the way an operator would. RocketMQ takes 10–20 s for this on 5.x
     * and 5–10 s on 4.9; prefer {@link #stopBroker(int)} unless the test needs the graceful path.
     */
    public synchronized void stopBrokerGracefully(int index) {
        checkRunning();
        Objects.checkIndex(index, brokers.length);
        if (brokers[index] != null) {
            brokers[index].stop("STOP", Duration.ofSeconds(60));
            brokers[index] = null;
        }
    }

    /** Starts a stopped broker again on its old port and store, and waits until it is routable. */
    public synchronized void startBroker(int index) {
        checkRunning();
        Objects.checkIndex(index, brokers.length);
        if (brokers[index] != null && brokers[index].isAlive()) {
            return;
        }
        brokers[index] = launchBroker(index);
        brokers[index].awaitReady(config.startTimeout);
    }

    /** Kills the NameServer; brokers and clients keep running without it. */
    public synchronized void stopNameServer() {
        checkRunning();
        if (nameServer != null) {
            nameServer.kill();
            nameServer = null;
        }
    }

    /**
     * Starts the NameServer again on its old port and waits until every running broker has
     * registered with it again (routes are kept in NameServer memory only).
     */
    public synchronized void startNameServer() {
        checkRunning();
        if (nameServer != null && nameServer.isAlive()) {
            return;
        }
        launchNameServer();
        for (ChildJvm broker : brokers) {
            if (broker != null && broker.isAlive()) {
                broker.call("REGISTER", COMMAND_TIMEOUT);
            }
        }
    }

    private void launchNameServer() {
        nameServer = launchNameServerProcess(directory("namesrv"));
        nameServer.awaitReady(config.startTimeout);
    }

    private ChildJvm launchNameServerProcess(Path home) {
        return runtime.launch("namesrv", home, withTls(config.nameServerJvmOptions),
                List.of("namesrv", "--port=" + nameServerPort, "--home=" + home));
    }

    private ChildJvm launchBroker(int index) {
        Path home = directory(brokerName(index));
        List<String> arguments = new ArrayList<>(List.of(
                "broker",
                "--name=" + brokerName(index),
                "--cluster=" + config.clusterName,
                "--port=" + brokerPorts[index],
                "--namesrv=" + nameServerAddress(),
                "--store=" + home,
                "--autoCreateTopic=" + config.autoCreateTopic,
                "--sendQueueWaitMs=" + config.sendQueueWait.toMillis()));
        config.brokerProperties.forEach((key, value) -> arguments.add("--broker." + key + "=" + value));
        if (config.accessKey != null) {
            // A test fixture's throwaway user: the child JVM's command line is good enough a channel.
            arguments.add("--authAccessKey=" + config.accessKey);
            arguments.add("--authSecretKey=" + config.secretKey);
        }
        return runtime.launch(brokerName(index), home, withTls(config.brokerJvmOptions), arguments);
    }

    /** The launchers leave {@code tls.server.mode} alone when it is set, so the mode travels as a JVM flag. */
    private List<String> withTls(List<String> jvmOptions) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Dtls.server.mode=" + config.tlsMode.propertyValue());
        if (config.tlsCertificate != null) {
            options.addAll(certificateOptions(config.tlsCertificate, config.clientAuthority));
        }
        return options;
    }

    /**
     * RocketMQ's TlsSystemConfig, read by both release lines: leave the test mode (self-signed, any
     * client) for the given certificate; the brokers' own connections to the NameServer verify it
     * against its issuer and, when the servers require client certificates, present it themselves.
     */
    private List<String> certificateOptions(TestCertificates.Issued certificate,
                                            TestCertificates.Authority clientAuthority) {
        Path tls = directory("tls");
        String certPath = certificate.writeCertificate(tls).toString();
        String keyPath = certificate.writePrivateKey(tls).toString();
        List<String> options = new ArrayList<>(List.of(
                "-Dtls.test.mode.enable=false",
                "-Dtls.server.certPath=" + certPath,
                "-Dtls.server.keyPath=" + keyPath,
                "-Dtls.client.authServer=true",
                "-Dtls.client.trustCertPath=" + certificate.issuer().certificate().writeCertificate(tls)));
        if (clientAuthority == null) {
            options.add("-Dtls.server.need.client.auth=none");
        } else {
            options.add("-Dtls.server.need.client.auth=require");
            options.add("-Dtls.server.authClient=true");
            options.add("-Dtls.server.trustCertPath="
                    + clientAuthority.certificate().writeCertificate(tls.resolve("clients")));
            options.add("-Dtls.client.certPath=" + certPath);
            options.add("-Dtls.client.keyPath=" + keyPath);
        }
        return options;
    }

    private Path directory(String name) {
        try {
            return Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    private void checkRunning() {
        checkOpen();
        if (!started) {
            throw new IllegalStateException("not started");
        }
    }

    /** Kills every node, waits for the processes to exit and deletes the temporary directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < brokers.length; i++) {
            if (brokers[i] != null) {
                brokers[i].kill();
                brokers[i] = null;
            }
        }
        if (nameServer != null) {
            nameServer.kill();
            nameServer = null;
        }
        Directories.deleteRecursively(root);
    }

    @Override
    public String toString() {
        return "EmbeddedRocketMQ[nameServer=" + nameServerAddress() + ", brokers=" + brokers.length
                + ", rocketmq=" + runtime.version() + " (" + runtime.rocketmqVersion() + "), tls=" + config.tlsMode
                + (config.accessKey == null ? "" : ", authentication=" + config.accessKey) + "]";
    }

    /** Settings of an {@link EmbeddedRocketMQ}; defaults suit a 2-core test machine. */
    public static final class Builder {

        private int brokers = 1;
        private boolean autoCreateTopic = true;
        private RocketMQVersion rocketmqVersion = RocketMQVersion.V5;
        private String clusterName = "EmbeddedCluster";
        private Duration sendQueueWait = Duration.ofSeconds(1);
        private Duration startTimeout = Duration.ofSeconds(60);
        private List<String> brokerJvmOptions = List.of("-Xms256m", "-Xmx512m");
        private List<String> nameServerJvmOptions = List.of("-Xms64m", "-Xmx256m", "-XX:TieredStopAtLevel=1");
        private TlsMode tlsMode = TlsMode.DISABLED;
        private TestCertificates.Issued tlsCertificate;
        private TestCertificates.Authority clientAuthority;
        private String accessKey;
        private String secretKey;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** Number of master brokers in the one cluster, named {@code broker-0..n-1}. Default 1. */
        public Builder brokers(int brokers) {
            if (brokers < 1) {
                throw new IllegalArgumentException("brokers must be at least 1");
            }
            this.brokers = brokers;
            return this;
        }

        /** Whether brokers create unknown topics on first send (RocketMQ's {@code autoCreateTopicEnable}). Default true. */
        public Builder autoCreateTopic(boolean autoCreateTopic) {
            this.autoCreateTopic = autoCreateTopic;
            return this;
        }

        /**
         * Which Apache RocketMQ release line to run: {@link RocketMQVersion#V5} (5.5.0, the default) or
         * {@link RocketMQVersion#V4_9} (4.9.7, needs {@code dev.mq:mq-test-broker-4}, which mq-test brings).
         */
        public Builder rocketmqVersion(RocketMQVersion rocketmqVersion) {
            this.rocketmqVersion = Objects.requireNonNull(rocketmqVersion);
            return this;
        }

        public Builder clusterName(String clusterName) {
            this.clusterName = Objects.requireNonNull(clusterName);
            return this;
        }

        /**
         * How long a send may wait in the broker's queue before it answers "broker busy". RocketMQ's
         * 200 ms default is too short for a cold broker on two cores; default 1 s.
         */
        public Builder sendQueueWait(Duration sendQueueWait) {
            this.sendQueueWait = Objects.requireNonNull(sendQueueWait);
            return this;
        }

        /** Upper bound for a node to start and become routable. Default 60 s. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return this;
        }

        /** JVM options of each broker process. Default {@code -Xms256m -Xmx512m}. */
        public Builder brokerJvmOptions(List<String> options) {
            this.brokerJvmOptions = List.copyOf(options);
            return this;
        }

        /**
         * How the NameServer and brokers treat TLS. Default {@link TlsMode#DISABLED}: tests speak plain
         * TCP and the servers skip generating a certificate at start-up.
         */
        public Builder tls(TlsMode mode) {
            this.tlsMode = Objects.requireNonNull(mode);
            return this;
        }

        /**
         * The certificate (with its key) the NameServer and brokers present instead of the self-signed
         * one RocketMQ's TLS test mode makes up, so that a client can verify it: against its issuer
         * and, for the host name 127.0.0.1, an IP subject alternative name of 127.0.0.1. Needs a TLS
         * mode other than {@link TlsMode#DISABLED}. Both release lines.
         */
        public Builder tlsCertificate(TestCertificates.Issued certificate) {
            this.tlsCertificate = Objects.requireNonNull(certificate);
            return this;
        }

        /**
         * Makes the servers require a client certificate issued by {@code authority} on every TLS
         * connection (RocketMQ's {@code tls.server.need.client.auth=require} with
         * {@code tls.server.authClient=true}): a client without one, or with one from another issuer,
         * fails its handshake. The brokers present the {@link #tlsCertificate} to the NameServer, so
         * {@code authority} must have issued that too. Needs {@link #tlsCertificate}.
         */
        public Builder requireClientCertificates(TestCertificates.Authority authority) {
            this.clientAuthority = Objects.requireNonNull(authority);
            return this;
        }

        /**
         * Turns on RocketMQ's authentication on every broker, with one user whose name is
         * {@code accessKey} and whose password is {@code secretKey}: every request to a broker must then
         * be signed with exactly this pair. On 5.x that is ACL 2.0 (authorization off, so the user may
         * do anything), and a refused request is answered NO_PERMISSION (16); on 4.9 it is ACL 1.0
         * ({@code aclEnable}, the user an admin in {@code plain_acl.yml}, no white-listed address),
         * and a refused request is answered SYSTEM_ERROR (1) whose remark names the
         * {@code AclException}. NameServers authenticate nothing on either line.
         */
        public Builder authentication(String accessKey, String secretKey) {
            if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()
                    || (accessKey + secretKey).chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("authentication needs a non-blank access key and secret key "
                        + "without whitespace");
            }
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            return this;
        }

        /**
         * Sets a broker setting by its {@code broker.conf} name on every broker of the cluster, on either
         * release line: a field of RocketMQ's {@code BrokerConfig} or {@code MessageStoreConfig}, e.g.
         * {@code transactionCheckInterval} (ms), {@code transactionTimeOut} (ms) or
         * {@code transactionCheckMax}. Applied after this fixture's own sizing, so it may override it. A
         * name the broker does not know is ignored by the broker; {@link #brokerConfig} shows what it holds.
         */
        public Builder brokerProperty(String key, String value) {
            if (key == null || key.isBlank() || key.contains("=") || key.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("broker property name must be a non-blank word: " + key);
            }
            brokerProperties.put(key, Objects.requireNonNull(value, "value"));
            return this;
        }

        public EmbeddedRocketMQ build() {
            if (tlsCertificate != null && tlsMode == TlsMode.DISABLED) {
                throw new IllegalStateException("tlsCertificate(...) needs tls(PERMISSIVE or ENFORCING)");
            }
            if (clientAuthority != null && tlsCertificate == null) {
                throw new IllegalStateException("requireClientCertificates(...) needs tlsCertificate(...)");
            }
            return new EmbeddedRocketMQ(this);
        }
    }
}
