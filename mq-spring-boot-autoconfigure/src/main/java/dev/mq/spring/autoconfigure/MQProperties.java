package dev.mq.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration of the mq client, under the prefix {@code mq}.
 *
 * <pre>
 * mq:
 *   name-server: 127.0.0.1:9876
 *   producer:
 *     group: orders
 * </pre>
 */
@ConfigurationProperties("mq")
public class MQProperties {

    /**
     * NameServer address, or several separated by ';' (for example "ns1:9876;ns2:9876").
     */
    private @Nullable String nameServer;

    /**
     * The default producer, behind the MQTemplate bean.
     */
    @NestedConfigurationProperty
    private final ProducerProperties producer = new ProducerProperties();

    /**
     * Further producers by name: each gets its own producer group, a Producer bean named
     * "<name>Producer" and an MQTemplate bean named "<name>MQTemplate".
     */
    private final Map<String, ProducerProperties> producers = new LinkedHashMap<>();

    /**
     * Defaults of every @MQListener container; an annotation attribute overrides its property.
     */
    @NestedConfigurationProperty
    private final ConsumerProperties consumer = new ConsumerProperties();

    private final Client client = new Client();

    private final Metrics metrics = new Metrics();

    public @Nullable String getNameServer() {
        return nameServer;
    }

    public void setNameServer(@Nullable String nameServer) {
        this.nameServer = nameServer;
    }

    public ProducerProperties getProducer() {
        return producer;
    }

    public Map<String, ProducerProperties> getProducers() {
        return producers;
    }

    public ConsumerProperties getConsumer() {
        return consumer;
    }

    public Client getClient() {
        return client;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    /**
     * Settings of the client instance shared by all producers. A property left unset is null and
     * leaves the engine's default in force (the {@code DEFAULT_*} constants of
     * {@code MQClientInstance.Builder} and {@code ClientResources.Builder}).
     */
    public static class Client {

        /**
         * Name of the client instance, part of the client id brokers see; defaults to "pid#nanoTime".
         */
        private @Nullable String instanceName;

        /**
         * RocketMQ namespace: topics and groups travel as "namespace%name".
         */
        private @Nullable String namespace;

        /**
         * Access key for ACL request signing (RocketMQ ACL 1.0 and 2.0).
         */
        private @Nullable String accessKey;

        /**
         * Secret key for ACL request signing. Never logged or shown by Actuator.
         */
        private @Nullable String secretKey;

        /**
         * Connect timeout of each connection to a NameServer or broker. Unset: the client's default, 3s.
         */
        private @Nullable Duration connectTimeout;

        /**
         * Event-loop threads shared by all connections (of the auto-configured ClientResources; an
         * application's own ClientResources bean brings its own). Unset: the default, 1.
         */
        private @Nullable Integer ioThreads;

        /**
         * How long a connection may hold requests its server reads none of before it is closed and its
         * requests fail with CONNECTION (a broker that stopped reading). Unset: the client's default, 5s.
         */
        private @Nullable Duration writeStallTimeout;

        /**
         * How long a topic may go without a send before its route leaves the cache (no more
         * refreshes or heartbeats for it); its next send looks it up again. Unset: the client's default, 5m.
         */
        private @Nullable Duration topicIdleTimeout;

        /**
         * How long shutdown waits for the brokers to confirm that the producer groups are
         * unregistered. Unset: the client's default, 3s.
         */
        private @Nullable Duration unregisterTimeout;

        private final Tls tls = new Tls();

        private final Ssl ssl = new Ssl();

        public @Nullable String getInstanceName() {
            return instanceName;
        }

        public void setInstanceName(@Nullable String instanceName) {
            this.instanceName = instanceName;
        }

        public @Nullable String getNamespace() {
            return namespace;
        }

        public void setNamespace(@Nullable String namespace) {
            this.namespace = namespace;
        }

        public @Nullable String getAccessKey() {
            return accessKey;
        }

        public void setAccessKey(@Nullable String accessKey) {
            this.accessKey = accessKey;
        }

        public @Nullable String getSecretKey() {
            return secretKey;
        }

        public void setSecretKey(@Nullable String secretKey) {
            this.secretKey = secretKey;
        }

        public @Nullable Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(@Nullable Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public @Nullable Integer getIoThreads() {
            return ioThreads;
        }

        public void setIoThreads(@Nullable Integer ioThreads) {
            this.ioThreads = ioThreads;
        }

        public @Nullable Duration getWriteStallTimeout() {
            return writeStallTimeout;
        }

        public void setWriteStallTimeout(@Nullable Duration writeStallTimeout) {
            this.writeStallTimeout = writeStallTimeout;
        }

        public @Nullable Duration getTopicIdleTimeout() {
            return topicIdleTimeout;
        }

        public void setTopicIdleTimeout(@Nullable Duration topicIdleTimeout) {
            this.topicIdleTimeout = topicIdleTimeout;
        }

        public @Nullable Duration getUnregisterTimeout() {
            return unregisterTimeout;
        }

        public void setUnregisterTimeout(@Nullable Duration unregisterTimeout) {
            this.unregisterTimeout = unregisterTimeout;
        }

        public Tls getTls() {
            return tls;
        }

        public Ssl getSsl() {
            return ssl;
        }

        @Override
        public String toString() {
            return "Client[instanceName=" + instanceName + ", namespace=" + namespace + ", accessKey=" + accessKey
                    + ", secretKey=" + (secretKey == null ? null : "******") + ", tls=" + tls.isEnabled() + ", sslBundle=" + ssl.getBundle() + "]";
        }
    }

    /** TLS from a Spring Boot SSL bundle. */
    public static class Ssl {

        /**
         * Name of the SSL bundle (spring.ssl.bundle.pem.<name> or spring.ssl.bundle.jks.<name>) to use
         * for every connection; setting it turns TLS on. Its trust material verifies the servers'
         * certificates (and their host names); when it has a key, the client presents it (mutual TLS).
         * A reloaded bundle applies to the connections opened after the reload.
         */
        private @Nullable String bundle;

        public @Nullable String getBundle() {
            return bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }
    }

    /** TLS for every connection. */
    public static class Tls {

        /**
         * Whether to use TLS for every connection (NameServers and brokers). Without
         * mq.client.ssl.bundle, the servers' certificates are verified against the JVM's default trust
         * store, host names included.
         */
        private boolean enabled;

        /**
         * Whether to accept any server certificate and host name (as RocketMQ's own client does in its
         * default test mode). Only for test clusters with self-signed certificates: logged as a warning
         * at start-up, and refused together with mq.client.ssl.bundle.
         */
        private boolean trustAll;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isTrustAll() {
            return trustAll;
        }

        public void setTrustAll(boolean trustAll) {
            this.trustAll = trustAll;
        }
    }

    /** Metrics switches. */
    public static class Metrics {

        /**
         * Whether to record send metrics in Micrometer (when a MeterRegistry is present).
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
