package dev.mq.spring.autoconfigure;

import dev.mq.core.ConfigException;
import dev.mq.core.producer.AutoBatching;
import dev.mq.core.producer.BackpressurePolicy;
import dev.mq.core.producer.CompressionType;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.core.producer.SendHook;
import dev.mq.core.producer.TransactionChecker;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Turns {@link ProducerProperties} into a {@link ProducerConfig}. Properties left unset leave the
 * engine's defaults in force; the engine checks every value, and a value it refuses fails start-up
 * with an error naming the property ({@link SettingProperties}).
 */
final class ProducerConfigFactory {

    static final String DEFAULT_NAME = "default";

    private ProducerConfigFactory() {
    }

    /**
     * @param prefix      {@code mq.producer} or {@code mq.producers.<name>}
     * @param checker     answers the group's transaction check-backs, or null for none
     * @param customizers applied in order after the properties
     */
    static ProducerConfig create(String name, String prefix, ProducerProperties properties, List<SendHook> hooks,
                                 @Nullable TransactionChecker checker, List<ProducerCustomizer> customizers) {
        String group = properties.getGroup();
        if (group == null || group.isBlank()) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".group", group,
                    "Every producer needs a producer group.");
        }
        ProducerConfig.Builder builder = ProducerConfig.builder().group(group);
        try {
            apply(prefix, properties, builder);
            // Checks what the properties say before any customizer changes it: a refused value is the
            // property's, so the error can name the property. A customizer's mistake is reported below
            // by the engine, naming the builder method.
            builder.build();
        } catch (ConfigException e) {
            throw SettingProperties.producer(prefix, e);
        }
        hooks.forEach(builder::hook);
        builder.transactionChecker(checker);
        customizers.forEach(c -> c.customize(name, builder));
        return builder.build();
    }

    private static void apply(String prefix, ProducerProperties properties, ProducerConfig.Builder builder) {
        PropertyMapper map = PropertyMapper.get(); // skips unset (null) properties
        map.from(properties::getSendTimeout).to(builder::sendTimeout);
        map.from(properties::getRetries).to(builder::retries);
        map.from(properties::getCompressThreshold).as(size -> intBytes(prefix + ".compress-threshold", size))
                .to(builder::compressThreshold);
        map.from(properties::getCompression).as(type -> CompressionType.valueOf(type.name())).to(builder::compression);
        map.from(properties::getCompressLevel).to(builder::compressLevel);
        map.from(properties::getMaxMessageSize).as(size -> intBytes(prefix + ".max-message-size", size))
                .to(builder::maxMessageSize);
        map.from(properties::getMaxInFlightRequests).to(builder::maxInFlightRequests);
        map.from(properties::getMaxInFlightBytes).as(DataSize::toBytes).to(builder::maxInFlightBytes);
        map.from(properties::getOnBackpressure).as(policy -> policy == ProducerProperties.Backpressure.FAIL
                ? BackpressurePolicy.FAIL : BackpressurePolicy.BLOCK).to(builder::backpressure);
        map.from(properties::getLatencyFaultTolerance).to(builder::latencyFaultTolerance);
        map.from(properties::getShutdownTimeout).to(builder::shutdownTimeout);
        if (properties.getAutoBatch().isEnabled()) {
            builder.autoBatching(autoBatching(prefix + ".auto-batch", properties.getAutoBatch()));
        }
    }

    private static AutoBatching autoBatching(String prefix, ProducerProperties.AutoBatch properties) {
        AutoBatching batching = properties.getLinger() == null ? AutoBatching.whenBusy()
                : AutoBatching.linger(properties.getLinger());
        if (properties.getMaxSize() != null) {
            batching = batching.maxBytes(intBytes(prefix + ".max-size", properties.getMaxSize()));
        }
        if (properties.getMaxMessages() != null) {
            batching = batching.maxMessages(properties.getMaxMessages());
        }
        return batching;
    }

    /** The engine takes these sizes as an int: a size beyond its range cannot reach the engine's own check. */
    private static int intBytes(String property, DataSize size) {
        long bytes = size.toBytes();
        if (bytes > Integer.MAX_VALUE || bytes < Integer.MIN_VALUE) {
            throw new InvalidConfigurationPropertyValueException(property, size,
                    "It must be between 1B and " + Integer.MAX_VALUE + "B.");
        }
        return (int) bytes;
    }
}
