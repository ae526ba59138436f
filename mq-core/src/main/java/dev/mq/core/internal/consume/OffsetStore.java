package dev.mq.core.internal.consume;

import dev.mq.core.MessageQueue;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where a consumer group's progress is kept: on the brokers in clustering mode, in a local file when
 * broadcasting. Queues are named as they travel (namespace applied). The consumer records finished
 * offsets in memory as handlers complete and writes them out every commit interval, when it gives a
 * queue up and when it stops.
 */
public interface OffsetStore {

    /** No offset is stored for the queue: the group (or the queue) is new, and consume-from applies. */
    long NONE = -1;

    /** The stored offset of {@code queue} (the next message to consume), or {@link #NONE}. */
    CompletableFuture<Long> read(MessageQueue queue);

    /**
     * Records that everything below {@code offset} is finished. Memory only; never moves an offset
     * backwards unless {@code allowBackwards} (an administrator's reset).
     */
    void update(MessageQueue queue, long offset, boolean allowBackwards);

    /**
     * Writes the recorded offsets of {@code queues} out; completes when they are stored, exceptionally
     * (the failure logged here) when a write failed or went unanswered: it may still be applied later.
     */
    CompletableFuture<Void> persist(Collection<MessageQueue> queues);

    /**
     * Writes the recorded offsets of {@code queues} out as {@link #persist} does, with one future per
     * queue, for a caller that acts on each queue's outcome. By default they all share one write.
     */
    default Map<MessageQueue, CompletableFuture<Void>> persistEach(Collection<MessageQueue> queues) {
        CompletableFuture<Void> all = persist(queues);
        Map<MessageQueue, CompletableFuture<Void>> each = new LinkedHashMap<>();
        for (MessageQueue queue : queues) {
            each.put(queue, all);
        }
        return each;
    }

    /** Forgets {@code queue}'s recorded offset (after it was persisted on giving the queue up). */
    void remove(MessageQueue queue);
}
