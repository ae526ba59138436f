package dev.mq.core.internal.protocol;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The body answering CONSUME_MESSAGE_DIRECTLY ({@code ConsumeMessageDirectlyResult}):
 * {@code {"autoCommit":true,"consumeResult":"CR_SUCCESS","order":false,"remark":"…","spentTimeMills":3}}.
 *
 * @param autoCommit     always true for our consumers (offsets follow finished messages)
 * @param consumeResult  what the listener answered
 * @param order          whether the group consumes orderly
 * @param remark         a note for the administrator (the exception, for {@link Outcome#CR_THROW_EXCEPTION})
 * @param spentTimeMills how long the listener ran (the name is the official one, misspelling included)
 */
// Components in the order fastjson writes the keys (alphabetical), so bodies compare byte for byte.
public record ConsumeDirectlyResult(boolean autoCommit, Outcome consumeResult, boolean order, @Nullable String remark,
                                    long spentTimeMills) {

    /** The official client's {@code CMResult}. */
    public enum Outcome {
        CR_SUCCESS, CR_LATER, CR_ROLLBACK, CR_COMMIT, CR_THROW_EXCEPTION, CR_RETURN_NULL
    }

    public ConsumeDirectlyResult {
        Objects.requireNonNull(consumeResult, "consumeResult");
    }

    /** The body as JSON. */
    public byte[] encode() {
        return ProtocolJson.MAPPER.writeValueAsBytes(this);
    }

    /**
     * Reads a body; for tests and tools.
     *
     * @throws IllegalArgumentException if it is not such a body
     */
    public static ConsumeDirectlyResult decode(byte[] body) {
        try {
            return ProtocolJson.MAPPER.readValue(body, ConsumeDirectlyResult.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a consume-directly result: " + e.getMessage(), e);
        }
    }
}
