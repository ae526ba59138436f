package dev.mq.core.internal.protocol;

import java.util.Objects;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** The headers of QUERY_CONSUMER_OFFSET and UPDATE_CONSUMER_OFFSET, and the name of the answer's field. */
public final class ConsumerOffsetHeaders {

    /** The extField of a SUCCESS answer to QUERY_CONSUMER_OFFSET (and GET_MAX/MIN_OFFSET, SEARCH_OFFSET_BY_TIMESTAMP). */
    public static final String OFFSET = "offset";

    private ConsumerOffsetHeaders() {
    }

    /**
     * QUERY_CONSUMER_OFFSET.
     *
     * @param setZeroIfNotFound 5.x only; {@code false} makes the broker answer QUERY_NOT_FOUND instead
     *     of offset 0 for a new group whose queue still holds its first message in memory. Absent
     *     leaves the broker's default (and 4.9 ignores it)
     * @param brokerName sent as {@code bname} when known
     */
    public record Query(String consumerGroup, String topic, int queueId, @Nullable Boolean setZeroIfNotFound,
                        @Nullable String brokerName) implements RequestFields {

        public Query {
            Objects.requireNonNull(consumerGroup, "consumerGroup");
            Objects.requireNonNull(topic, "topic");
        }

        @Override
        public void writeFields(BiConsumer<String, String> sink) {
            writeQueue(sink, consumerGroup, topic, queueId);
            if (setZeroIfNotFound != null) {
                sink.accept("setZeroIfNotFound", setZeroIfNotFound.toString());
            }
            writeBrokerName(sink, brokerName);
        }
    }

    /**
     * UPDATE_CONSUMER_OFFSET.
     *
     * @param commitOffset the next offset to consume (the lowest unfinished one), not the last consumed
     */
    public record Update(String consumerGroup, String topic, int queueId, long commitOffset,
                         @Nullable String brokerName) implements RequestFields {

        public Update {
            Objects.requireNonNull(consumerGroup, "consumerGroup");
            Objects.requireNonNull(topic, "topic");
        }

        @Override
        public void writeFields(BiConsumer<String, String> sink) {
            writeQueue(sink, consumerGroup, topic, queueId);
            sink.accept("commitOffset", Long.toString(commitOffset));
            writeBrokerName(sink, brokerName);
        }
    }

    /** The fields both requests begin with: whose offset of which queue. */
    private static void writeQueue(BiConsumer<String, String> sink, String consumerGroup, String topic, int queueId) {
        sink.accept("consumerGroup", consumerGroup);
        sink.accept("topic", topic);
        sink.accept("queueId", Integer.toString(queueId));
    }

    /** {@code bname}, sent when the broker's name is known. */
    private static void writeBrokerName(BiConsumer<String, String> sink, @Nullable String brokerName) {
        if (brokerName != null) {
            sink.accept("bname", brokerName);
        }
    }
}
