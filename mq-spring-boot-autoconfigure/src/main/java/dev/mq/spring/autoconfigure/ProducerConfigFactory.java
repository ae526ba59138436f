package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import dev.mq.core.producer.AutoBatching;
import dev.mq.core.producer.BackpressurePolicy;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.core.producer.SendHook;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Turns {@link ProducerProperties} into a {@link ProducerConfig}. Bad values fail start-up with an
 * error naming the property, so the application's failure analysis points at the line to fix.
 */
final class ProducerConfigFactory {

    static final String DEFAULT_NAME = "default";

    private ProducerConfigFactory() {
    }

    /**
     * @param prefix      {@code mq.producer} or {@code mq.producers.<name>}
     * @param customizers applied in order after the properties
     */
    static ProducerConfig create(String name, String prefix, ProducerProperties properties, List<SendHook> hooks,
                                 List<ProducerCustomizer> customizers) {
        String group = properties.getGroup();
        if (group == null || group.isBlank()) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".group", group,
                    "Every producer needs a producer group.");
        }
        checked(prefix + ".group", group, () -> ProducerConfig.builder().group(group).build());
        positive(prefix + ".send-timeout", properties.getSendTimeout());
        positive(prefix + ".shutdown-timeout", properties.getShutdownTimeout());
        atLeast(prefix + ".retries", properties.getRetries(), 0);
        atLeast(prefix + ".max-in-flight-requests", properties.getMaxInFlightRequests(), 1);
        int maxMessage = bytes(prefix + ".max-message-size", properties.getMaxMessageSize());
        int threshold = bytes(prefix + ".compress-threshold", properties.getCompressThreshold());
        int inFlightBytes = bytes(prefix + ".max-in-flight-bytes", properties.getMaxInFlightBytes());
        if (inFlightBytes < maxMessage) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".max-in-flight-bytes",
                    properties.getMaxInFlightBytes(), "It must be at least " + prefix + ".max-message-size ("
                    + properties.getMaxMessageSize() + ").");
        }
        ProducerConfig.Builder builder = ProducerConfig.builder()
                .group(group)
                .sendTimeout(properties.getSendTimeout())
                .retries(properties.getRetries())
                .compressThreshold(threshold)
                .maxMessageSize(maxMessage)
                .maxInFlightRequests(properties.getMaxInFlightRequests())
                .maxInFlightBytes(inFlightBytes)
                .backpressure(properties.getOnBackpressure() == ProducerProperties.Backpressure.FAIL
                        ? BackpressurePolicy.FAIL : BackpressurePolicy.BLOCK)
                .latencyFaultTolerance(properties.isLatencyFaultTolerance())
                .shutdownTimeout(properties.getShutdownTimeout())
                .autoBatching(autoBatching(prefix + ".auto-batch", properties.getAutoBatch(), maxMessage));
        hooks.forEach(builder::hook);
        customizers.forEach(c -> c.customize(name, builder));
        return builder.build();
    }

    private static AutoBatching autoBatching(String prefix, ProducerProperties.AutoBatch properties, int maxMessage) {
        if (!properties.isEnabled()) {
            return AutoBatching.off();
        }
        Duration linger = properties.getLinger();
        if (linger == null || linger.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".linger", linger,
                    "It must be zero (no added latency) or a positive duration.");
        }
        int maxSize = bytes(prefix + ".max-size", properties.getMaxSize());
        if (maxSize > maxMessage) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".max-size", properties.getMaxSize(),
                    "A batch must fit the max message size (" + maxMessage + "B).");
        }
        atLeast(prefix + ".max-messages", properties.getMaxMessages(), 2);
        return AutoBatching.linger(linger).maxBytes(maxSize).maxMessages(properties.getMaxMessages());
    }

    private static void checked(String property, Object value, Runnable check) {
        try {
            check.run();
        } catch (MQException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }

    private static void positive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidConfigurationPropertyValueException(property, value, "It must be a positive duration.");
        }
    }

    private static void atLeast(String property, int value, int min) {
        if (value < min) {
            throw new InvalidConfigurationPropertyValueException(property, value, "It must be at least " + min + ".");
        }
    }

    private static int bytes(String property, DataSize size) {
        if (size == null || size.toBytes() <= 0 || size.toBytes() > Integer.MAX_VALUE) {
            throw new InvalidConfigurationPropertyValueException(property, size,
                    "It must be between 1B and " + Integer.MAX_VALUE + "B.");
        }
        return (int) size.toBytes();
    }
}
