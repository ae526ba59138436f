package dev.mq.core.consumer;

import dev.mq.core.MQException;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a consumer group starts reading a queue it has never committed an offset for. It applies
 * to new groups (and new queues) only: once the group has committed an offset for a queue, reading
 * resumes there whatever this says.
 */
public final class ConsumeFrom {

    /** The kinds of start position. */
    public enum Kind {
        /** The end of the queue: only messages stored from now on. */
        LAST_OFFSET,
        /** The oldest message the broker still holds. */
        FIRST_OFFSET,
        /** The first message stored at or after {@link #timestamp()}. */
        TIMESTAMP
    }

    /** Start at the end of each queue (the default): a new group skips the backlog. */
    public static final ConsumeFrom LAST_OFFSET = new ConsumeFrom(Kind.LAST_OFFSET, null);

    /** Start at the oldest message each queue still holds: a new group reads the whole backlog. */
    public static final ConsumeFrom FIRST_OFFSET = new ConsumeFrom(Kind.FIRST_OFFSET, null);

    private final Kind kind;
    private final @Nullable Instant timestamp;

    private ConsumeFrom(Kind kind, @Nullable Instant timestamp) {
        this.kind = kind;
        this.timestamp = timestamp;
    }

    /** Start at the first message stored at or after {@code timestamp} (the broker's store time). */
    public static ConsumeFrom timestamp(Instant timestamp) {
        if (timestamp == null) {
            throw MQException.validation("consume-from timestamp is null");
        }
        return new ConsumeFrom(Kind.TIMESTAMP, timestamp);
    }

    public Kind kind() {
        return kind;
    }

    /** The start time of a {@link Kind#TIMESTAMP} position, or null for the others. */
    public @Nullable Instant timestamp() {
        return timestamp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsumeFrom other && kind == other.kind && Objects.equals(timestamp, other.timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, timestamp);
    }

    @Override
    public String toString() {
        return kind == Kind.TIMESTAMP ? "TIMESTAMP(" + timestamp + ")" : kind.name();
    }
}
