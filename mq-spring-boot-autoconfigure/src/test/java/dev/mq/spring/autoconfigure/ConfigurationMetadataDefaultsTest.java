package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.client.ClientResources;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.producer.AutoBatching;
import dev.mq.core.producer.ProducerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Properties left unset take the engine's defaults, so the metadata's {@code defaultValue} (what
 * IDEs show) is the only copy of a default in the starter: it must say what the engine does.
 */
class ConfigurationMetadataDefaultsTest {

    private static Map<String, JsonNode> metadataDefaults() throws IOException {
        try (InputStream in = ConfigurationMetadataDefaultsTest.class
                .getResourceAsStream("/META-INF/additional-spring-configuration-metadata.json")) {
            Map<String, JsonNode> defaults = new HashMap<>();
            for (JsonNode property : JsonMapper.shared().readTree(in).get("properties")) {
                if (property.has("defaultValue")) {
                    defaults.put(property.get("name").asString(), property.get("defaultValue"));
                }
            }
            return defaults;
        }
    }

    @Test
    void theMetadataNamesTheEnginesDefaults() throws IOException {
        Map<String, JsonNode> metadata = metadataDefaults();
        ProducerConfig producer = ProducerConfig.builder().group("g").build();
        ConsumerConfig consumer = ConsumerConfig.builder().group("g").subscribe("t", "*").build();
        Map<String, Object> engine = Map.ofEntries(
                Map.entry("mq.client.connect-timeout", MQClientInstance.Builder.DEFAULT_CONNECT_TIMEOUT),
                Map.entry("mq.client.write-stall-timeout", MQClientInstance.Builder.DEFAULT_WRITE_STALL_TIMEOUT),
                Map.entry("mq.client.topic-idle-timeout", MQClientInstance.Builder.DEFAULT_TOPIC_IDLE_TIMEOUT),
                Map.entry("mq.client.unregister-timeout", MQClientInstance.Builder.DEFAULT_UNREGISTER_TIMEOUT),
                Map.entry("mq.client.io-threads", ClientResources.Builder.DEFAULT_IO_THREADS),
                Map.entry("mq.producer.send-timeout", producer.sendTimeout()),
                Map.entry("mq.producer.retries", producer.retries()),
                Map.entry("mq.producer.compress-threshold", (long) producer.compressThreshold()),
                Map.entry("mq.producer.compression", producer.compression().name().toLowerCase(Locale.ROOT)),
                Map.entry("mq.producer.compress-level", producer.compressLevel()),
                Map.entry("mq.producer.max-message-size", (long) producer.maxMessageSize()),
                Map.entry("mq.producer.max-in-flight-requests", producer.maxInFlightRequests()),
                Map.entry("mq.producer.max-in-flight-bytes", producer.maxInFlightBytes()),
                Map.entry("mq.producer.on-backpressure", producer.backpressure().name().toLowerCase(Locale.ROOT)),
                Map.entry("mq.producer.shutdown-timeout", producer.shutdownTimeout()),
                Map.entry("mq.producer.latency-fault-tolerance", producer.latencyFaultTolerance()),
                Map.entry("mq.producer.auto-batch.linger", AutoBatching.whenBusy().linger()),
                Map.entry("mq.producer.auto-batch.max-size", (long) AutoBatching.DEFAULT_MAX_BYTES),
                Map.entry("mq.producer.auto-batch.max-messages", AutoBatching.DEFAULT_MAX_MESSAGES),
                Map.entry("mq.consumer.concurrency", consumer.concurrency()),
                Map.entry("mq.consumer.max-reconsume-times", consumer.maxReconsumeTimes()),
                Map.entry("mq.consumer.batch-size", consumer.batchSize()),
                Map.entry("mq.consumer.pull-batch-size", consumer.pullBatchSize()),
                Map.entry("mq.consumer.max-cached-messages", consumer.maxCachedMessages()),
                Map.entry("mq.consumer.max-cached-bytes", consumer.maxCachedBytes()),
                Map.entry("mq.consumer.commit-interval", consumer.commitInterval()),
                Map.entry("mq.consumer.shutdown-timeout", consumer.shutdownTimeout()),
                Map.entry("mq.consumer.orderly-retry-delay", consumer.orderlyRetryDelay()),
                Map.entry("mq.consumer.consume-from", consumer.consumeFrom().kind().name()));
        engine.forEach((property, value) -> {
            assertThat(metadata).as(property).containsKey(property);
            JsonNode stated = metadata.get(property);
            Object parsed;
            if (value instanceof Duration) {
                parsed = DurationStyle.detectAndParse(stated.asString());
            } else if (value instanceof Long) { // sizes: the metadata writes them as DataSize
                parsed = DataSize.parse(stated.asString()).toBytes();
            } else if (value instanceof Integer) {
                parsed = stated.asInt();
            } else if (value instanceof Boolean) {
                parsed = stated.asBoolean();
            } else {
                parsed = stated.asString();
            }
            assertThat(parsed).as(property).isEqualTo(value);
        });
    }
}
