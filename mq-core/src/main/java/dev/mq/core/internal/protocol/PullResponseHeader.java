package dev.mq.core.internal.protocol;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The header fields of a PULL_MESSAGE answer with code 0, 19, 20 or 21 (other codes carry none).
 *
 * @param nextBeginOffset where the next pull of the queue starts, already past filtered-out messages
 * @param minOffset the queue's smallest stored offset
 * @param maxOffset the queue's next offset to be written
 * @param suggestWhichBrokerId the broker id to pull this queue from next (0 = master)
 * @param offsetDelta 5.x static topics: added to every returned message's queue offset; 0 otherwise
 */
public record PullResponseHeader(long nextBeginOffset, long minOffset, long maxOffset, long suggestWhichBrokerId,
                                 long offsetDelta) {

    public static final String NEXT_BEGIN_OFFSET = "nextBeginOffset";
    public static final String MIN_OFFSET = "minOffset";
    public static final String MAX_OFFSET = "maxOffset";
    public static final String SUGGEST_WHICH_BROKER_ID = "suggestWhichBrokerId";
    public static final String OFFSET_DELTA = "offsetDelta";

    /**
     * Reads the fields from an answer's extFields. {@code nextBeginOffset} is required: continuing
     * from a guessed offset would skip or repeat messages. The others default to what a 4.9 broker
     * means by leaving them out.
     *
     * @throws IllegalArgumentException if {@code nextBeginOffset} is missing or a field is not a number
     */
    public static PullResponseHeader read(Map<String, String> extFields) {
        String next = extFields.get(NEXT_BEGIN_OFFSET);
        if (next == null) {
            throw new IllegalArgumentException("pull answer without " + NEXT_BEGIN_OFFSET);
        }
        return new PullResponseHeader(
                number(NEXT_BEGIN_OFFSET, next),
                number(MIN_OFFSET, extFields.get(MIN_OFFSET), 0),
                number(MAX_OFFSET, extFields.get(MAX_OFFSET), 0),
                number(SUGGEST_WHICH_BROKER_ID, extFields.get(SUGGEST_WHICH_BROKER_ID), 0),
                number(OFFSET_DELTA, extFields.get(OFFSET_DELTA), 0));
    }

    private static long number(String name, @Nullable String text, long absent) {
        return text == null ? absent : number(name, text);
    }

    private static long number(String name, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pull answer field " + name + " is not a number: " + text, e);
        }
    }
}
