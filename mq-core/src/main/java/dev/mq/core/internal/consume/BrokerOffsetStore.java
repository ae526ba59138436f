package dev.mq.core.internal.consume;

import dev.mq.core.MessageQueue;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clustering mode's offsets: kept by the queue's master broker for the whole group. Recorded offsets
 * only move forward (handlers finish out of order, and a late recording must not undo a newer one);
 * writes are acknowledged, so that a stop knows its offsets are stored before it unregisters.
 */
final class BrokerOffsetStore implements OffsetStore {

    private static final Logger log = LoggerFactory.getLogger(BrokerOffsetStore.class);

    private final BrokerRequests requests;
    private final String wireGroup;
    private final Map<MessageQueue, Long> recorded = new ConcurrentHashMap<>();

    BrokerOffsetStore(BrokerRequests requests, String wireGroup) {
        this.requests = requests;
        this.wireGroup = wireGroup;
    }

    @Override
    public CompletableFuture<Long> read(MessageQueue queue) {
        return requests.queryOffset(wireGroup, queue);
    }

    @Override
    public void update(MessageQueue queue, long offset, boolean allowBackwards) {
        if (offset < 0) {
            return;
        }
        recorded.merge(queue, offset, (old, now) -> allowBackwards ? now : Math.max(old, now));
    }

    @Override
    public CompletableFuture<Void> persist(Collection<MessageQueue> queues) {
        return CompletableFuture.allOf(persistEach(queues).values().toArray(CompletableFuture[]::new));
    }

    /** One UPDATE_CONSUMER_OFFSET per queue with a recorded offset; the others complete at once. */
    @Override
    public Map<MessageQueue, CompletableFuture<Void>> persistEach(Collection<MessageQueue> queues) {
        Map<MessageQueue, CompletableFuture<Void>> writes = new LinkedHashMap<>();
        for (MessageQueue queue : queues) {
            Long offset = recorded.get(queue);
            if (offset == null) {
                writes.put(queue, CompletableFuture.completedFuture(null));
                continue;
            }
            writes.put(queue, requests.updateOffset(wireGroup, queue, offset).whenComplete((ok, error) -> {
                if (error != null) {
                    log.warn("committing offset {} of {} for group {} failed: {}", offset, queue, wireGroup,
                            error.getMessage());
                }
            }));
        }
        return writes;
    }

    @Override
    public void remove(MessageQueue queue) {
        recorded.remove(queue);
    }

    /** The offset recorded for {@code queue}, or {@link #NONE}. */
    long recorded(MessageQueue queue) {
        return recorded.getOrDefault(queue, NONE);
    }
}
