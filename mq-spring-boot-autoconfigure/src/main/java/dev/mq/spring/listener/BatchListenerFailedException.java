package dev.mq.spring.listener;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Thrown by a batch {@link MQListener} method to say which messages of the batch failed: only those
 * are delivered again (through the broker's delay levels, then the dead-letter topic), the others
 * count as consumed. Indexes are positions in the list the method was given.
 *
 * <pre>{@code
 * for (int i = 0; i < clicks.size(); i++) {
 *     try { store(clicks.get(i)); } catch (IOException e) { throw new BatchListenerFailedException(i, e); }
 * }
 * }</pre>
 *
 * {@link #BatchListenerFailedException(int, Throwable)} is for a method that handles the list in
 * order and stops at the first failure: the failed message and every one after it are delivered again.
 */
public class BatchListenerFailedException extends RuntimeException {

    private final Set<Integer> failed;
    private final int firstUnhandled;

    /**
     * The message at {@code index} failed and the ones after it were not handled: all of them are
     * delivered again, those before it count as consumed.
     */
    public BatchListenerFailedException(int index, Throwable cause) {
        super("batch failed at index " + index, cause);
        checkIndex(index);
        this.failed = Set.of();
        this.firstUnhandled = index;
    }

    /** Exactly the messages at {@code indexes} failed; the others count as consumed. */
    public BatchListenerFailedException(Set<Integer> indexes, Throwable cause) {
        super("batch failed at indexes " + new TreeSet<>(indexes), cause);
        indexes.forEach(BatchListenerFailedException::checkIndex);
        this.failed = Set.copyOf(indexes);
        this.firstUnhandled = Integer.MAX_VALUE;
    }

    /** Whether the message at {@code index} of the batch is to be delivered again. */
    public boolean failed(int index) {
        return index >= firstUnhandled || failed.contains(index);
    }

    /** The failed indexes out of a batch of {@code size} messages, ascending. */
    public List<Integer> failedIndexes(int size) {
        return java.util.stream.IntStream.range(0, size).filter(this::failed).boxed().toList();
    }

    private static void checkIndex(Integer index) {
        if (index == null || index < 0) {
            throw new IllegalArgumentException("batch index " + index + " is invalid: indexes start at 0");
        }
    }
}
