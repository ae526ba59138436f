package dev.mq.spring.autoconfigure;

import static java.util.Map.entry;

import dev.mq.core.ConfigException;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Which property sets which engine setting. The engine checks every setting once and names the one
 * it refuses ({@link ConfigException#setting()}, the builder method); this turns that name into the
 * property, so that start-up fails with an {@link InvalidConfigurationPropertyValueException} and
 * Boot's failure analysis points at the line to fix. No check is repeated here.
 */
final class SettingProperties {

    /** Producer setting to its property below {@code mq.producer} or {@code mq.producers.<name>}. */
    private static final Map<String, String> PRODUCER = Map.ofEntries(
            entry("group", "group"),
            entry("sendTimeout", "send-timeout"),
            entry("retries", "retries"),
            entry("compressThreshold", "compress-threshold"),
            entry("compression", "compression"),
            entry("compressLevel", "compress-level"),
            entry("maxMessageSize", "max-message-size"),
            entry("maxInFlightRequests", "max-in-flight-requests"),
            entry("maxInFlightBytes", "max-in-flight-bytes"),
            entry("backpressure", "on-backpressure"),
            entry("latencyFaultTolerance", "latency-fault-tolerance"),
            entry("shutdownTimeout", "shutdown-timeout"),
            entry("autoBatching.linger", "auto-batch.linger"),
            entry("autoBatching.maxBytes", "auto-batch.max-size"),
            entry("autoBatching.maxMessages", "auto-batch.max-messages"));

    /** Consumer setting to its property below {@code mq.consumer}. */
    private static final Map<String, String> CONSUMER = Map.ofEntries(
            entry("concurrency", "concurrency"),
            entry("maxReconsumeTimes", "max-reconsume-times"),
            entry("batchSize", "batch-size"),
            entry("pullBatchSize", "pull-batch-size"),
            entry("maxCachedMessages", "max-cached-messages"),
            entry("maxCachedBytes", "max-cached-bytes"),
            entry("commitInterval", "commit-interval"),
            entry("shutdownTimeout", "shutdown-timeout"),
            entry("orderlyRetryDelay", "orderly-retry-delay"),
            entry("offsetStoreDirectory", "offset-store-directory"),
            entry("consumeFrom", "consume-from"));

    /** Client (and client resources) setting to its property. */
    private static final Map<String, String> CLIENT = Map.ofEntries(
            entry("nameServer", "mq.name-server"),
            entry("instanceName", "mq.client.instance-name"),
            entry("namespace", "mq.client.namespace"),
            entry("connectTimeout", "mq.client.connect-timeout"),
            entry("writeStallTimeout", "mq.client.write-stall-timeout"),
            entry("topicIdleTimeout", "mq.client.topic-idle-timeout"),
            entry("unregisterTimeout", "mq.client.unregister-timeout"),
            entry("credentials.accessKey", "mq.client.access-key"),
            entry("credentials.secretKey", "mq.client.secret-key"),
            entry("ioThreads", "mq.client.io-threads"));

    private SettingProperties() {
    }

    /**
     * The error to fail start-up with for a producer setting refused while the properties under
     * {@code prefix} ({@code mq.producer} or {@code mq.producers.<name>}) were applied.
     */
    static RuntimeException producer(String prefix, ConfigException e) {
        String property = PRODUCER.get(e.setting());
        return translate(property == null ? null : prefix + "." + property, e);
    }

    /** The error to fail start-up with for a consumer setting refused while {@code mq.consumer.*} was applied. */
    static RuntimeException consumer(ConfigException e) {
        String property = CONSUMER.get(e.setting());
        return translate(property == null ? null : "mq.consumer." + property, e);
    }

    /** The error to fail start-up with for a client or client-resources setting refused. */
    static RuntimeException client(ConfigException e) {
        return translate(CLIENT.get(e.setting()), e);
    }

    /** A setting no property sets can only come from code: the engine's own error says it best. */
    private static RuntimeException translate(String property, ConfigException e) {
        return property == null ? e : new InvalidConfigurationPropertyValueException(property, e.value(), e.getMessage());
    }
}
