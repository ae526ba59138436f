package dev.mq.core.consumer;

import dev.mq.core.MQException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a {@link BatchMessageListener} call, message by message, so that one failed message
 * does not send the whole batch round again.
 *
 * <pre>{@code
 * return failedIndexes.isEmpty() ? BatchResult.success() : BatchResult.retry(failedIndexes);
 * }</pre>
 */
public final class BatchResult {

    private static final BatchResult SUCCESS = new BatchResult(null, ConsumeResult.SUCCESS);
    private static final BatchResult RETRY_ALL = new BatchResult(null, ConsumeResult.RETRY);

    /** Per index, or null when {@link #all} applies to every message. */
    private final ConsumeResult @Nullable [] results;
    private final ConsumeResult all;

    private BatchResult(ConsumeResult @Nullable [] results, ConsumeResult all) {
        this.results = results;
        this.all = all;
    }

    /** Every message was handled. */
    public static BatchResult success() {
        return SUCCESS;
    }

    /** No message was handled: all are delivered again. */
    public static BatchResult retryAll() {
        return RETRY_ALL;
    }

    /**
     * The messages at {@code indexes} (positions in the list the listener was given) are delivered
     * again; the others were handled.
     *
     * @throws MQException VALIDATION if an index is negative
     */
    public static BatchResult retry(Collection<Integer> indexes) {
        if (indexes.isEmpty()) {
            return SUCCESS;
        }
        int max = indexes.stream().mapToInt(BatchResult::checkIndex).max().orElse(0);
        ConsumeResult[] results = new ConsumeResult[max + 1];
        Arrays.fill(results, ConsumeResult.SUCCESS);
        indexes.forEach(i -> results[i] = ConsumeResult.RETRY);
        return new BatchResult(results, ConsumeResult.SUCCESS);
    }

    /** As {@link #retry(Collection)}. */
    public static BatchResult retry(int... indexes) {
        return retry(Arrays.stream(indexes).boxed().toList());
    }

    /**
     * One result per message, in the order the listener was given them; messages beyond the end of
     * {@code results} count as {@link ConsumeResult#SUCCESS}.
     *
     * @throws MQException VALIDATION if a result is null
     */
    public static BatchResult of(List<ConsumeResult> results) {
        ConsumeResult[] copy = new ConsumeResult[results.size()];
        for (int i = 0; i < copy.length; i++) {
            ConsumeResult r = results.get(i);
            if (r == null) {
                throw MQException.validation("batch result " + i + " is null");
            }
            copy[i] = r;
        }
        return new BatchResult(copy, ConsumeResult.SUCCESS);
    }

    /** The outcome of the message at {@code index} of the batch. */
    public ConsumeResult resultOf(int index) {
        ConsumeResult[] r = results;
        if (r == null) {
            return all;
        }
        return index < r.length ? r[index] : ConsumeResult.SUCCESS;
    }

    private static int checkIndex(Integer index) {
        if (index == null || index < 0) {
            throw MQException.validation("batch index " + index + " is invalid: indexes start at 0");
        }
        return index;
    }

    @Override
    public String toString() {
        ConsumeResult[] r = results;
        return r == null ? "BatchResult[" + all + "]" : "BatchResult" + Arrays.toString(r);
    }
}
