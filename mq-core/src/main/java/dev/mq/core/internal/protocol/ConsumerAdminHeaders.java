package dev.mq.core.internal.protocol;

import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The headers of the requests a broker sends to a consumer: NOTIFY_CONSUMER_IDS_CHANGED, and the
 * administrator's calls it forwards (GET_CONSUMER_RUNNING_INFO, CONSUME_MESSAGE_DIRECTLY,
 * RESET_CONSUMER_CLIENT_OFFSET). Each is read from a request's extFields; each also lists its fields,
 * for fake brokers in tests.
 */
public final class ConsumerAdminHeaders {

    private ConsumerAdminHeaders() {
    }

    /** NOTIFY_CONSUMER_IDS_CHANGED (oneway): the members of {@code consumerGroup} changed. */
    public record ConsumerIdsChanged(String consumerGroup) implements RequestFields {

        public ConsumerIdsChanged {
            Objects.requireNonNull(consumerGroup, "consumerGroup");
        }

        /** @throws IllegalArgumentException if {@code consumerGroup} is missing */
        public static ConsumerIdsChanged read(Map<String, String> fields) {
            return new ConsumerIdsChanged(required(fields, "consumerGroup"));
        }

        @Override
        public void writeFields(BiConsumer<String, String> sink) {
            sink.accept("consumerGroup", consumerGroup);
        }
    }

    /**
     * GET_CONSUMER_RUNNING_INFO, copied by the broker from the administrator's request.
     *
     * @param jstackEnable whether the answer should carry a dump of the client's threads
     */
    public record RunningInfo(String consumerGroup, @Nullable String clientId, boolean jstackEnable)
            implements RequestFields {

        public RunningInfo {
            Objects.requireNonNull(consumerGroup, "consumerGroup");
        }

        /** @throws IllegalArgumentException if {@code consumerGroup} is missing */
        public static RunningInfo read(Map<String, String> fields) {
            return new RunningInfo(required(fields, "consumerGroup"), fields.get("clientId"),
                    Boolean.parseBoolean(fields.get("jstackEnable")));
        }

        @Override
        public void writeFields(BiConsumer<String, String> sink) {
            sink.accept("consumerGroup", consumerGroup);
            if (clientId != null) {
                sink.accept("clientId", clientId);
            }
            sink.accept("jstackEnable", Boolean.toString(jstackEnable));
        }
    }

    /**
     * CONSUME_MESSAGE_DIRECTLY: run the message in the body (one stored record) through the group's
     * listener. {@code topic} is sent by 5.x brokers only.
     */
    public record ConsumeDirectly(String consumerGroup, @Nullable String clientId, @Nullable String msgId,
                                  @Nullable String brokerName, @Nullable String topic) implements RequestFields {

        public ConsumeDirectly {
            Objects.requireNonNull(consumerGroup, "consumerGroup");
        }

        /** @throws IllegalArgumentException if {@code consumerGroup} is missing */
        public static ConsumeDirectly read(Map<String, String> fields) {
            return new ConsumeDirectly(required(fields, "consumerGroup"), fields.get("clientId"),
                    fields.get("msgId"), fields.get("brokerName"), fields.get("topic"));
        }

        @Override
        public void writeFields(BiConsumer<String, String> sink) {
            sink.accept("consumerGroup", consumerGroup);
            optional(sink, "clientId", clientId);
            optional(sink, "msgId", msgId);
            optional(sink, "brokerName", brokerName);
            optional(sink, "topic", topic);
        }
    }

    /**
     * RESET_CONSUMER_CLIENT_OFFSET (oneway): the offsets of {@code group} on {@code topic} were reset
     * to those in the body ({@link ResetOffsetBody}), as of {@code timestamp}.
     */
    public record ResetOffset(String topic, String group, long timestamp, boolean isForce) implements RequestFields {

        public ResetOffset {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(group, "group");
        }

        /** @throws IllegalArgumentException if {@code topic} or {@code group} is missing, or the timestamp is not a number */
        public static ResetOffset read(Map<String, String> fields) {
            String timestamp = fields.get("timestamp");
            long millis;
            try {
                millis = timestamp == null ? 0 : Long.parseLong(timestamp);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("timestamp is not a number: '" + timestamp + "'");
            }
            return new ResetOffset(required(fields, "topic"), required(fields, "group"), millis,
                    Boolean.parseBoolean(fields.get("isForce")));
        }

        @Override
        public void writeFields(BiConsumer<String, String> sink) {
            sink.accept("topic", topic);
            sink.accept("group", group);
            sink.accept("timestamp", Long.toString(timestamp));
            sink.accept("isForce", Boolean.toString(isForce));
        }
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("request lacks field " + name);
        }
        return value;
    }

    private static void optional(BiConsumer<String, String> sink, String name, @Nullable String value) {
        if (value != null) {
            sink.accept(name, value);
        }
    }
}
