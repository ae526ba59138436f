package dev.mq.benchmarks.harness;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which messages of one topic on one broker a consumer was handed, one bit per queue offset, so
 * that each message counts once however often it is delivered: any number of handler threads may
 * {@link #record} at once, without locks and (but for a new chunk of 65,536 offsets) without
 * allocation, so that both clients' handlers pay the same small, constant price.
 */
public final class DeliveryLedger {

    static final int MAX_QUEUES = 1024;
    private static final int CHUNK_BITS = 16;
    private static final int CHUNK_OFFSETS = 1 << CHUNK_BITS;
    private static final int MAX_CHUNKS = 1 << 12; // 268 million offsets per queue

    private final AtomicReferenceArray<AtomicReferenceArray<AtomicLongArray>> queues =
            new AtomicReferenceArray<>(MAX_QUEUES);
    private final AtomicLong unique = new AtomicLong();
    private final AtomicLong deliveries = new AtomicLong();

    /**
     * Notes one delivery of the message at {@code queueOffset} of queue {@code queueId}.
     *
     * @return the number of distinct messages seen so far if this is the message's first delivery,
     *         otherwise -1 (a duplicate)
     */
    public long record(int queueId, long queueOffset) {
        deliveries.incrementAndGet();
        if (queueId < 0 || queueId >= MAX_QUEUES || queueOffset < 0 || (queueOffset >>> CHUNK_BITS) >= MAX_CHUNKS) {
            throw new IllegalArgumentException("queue " + queueId + " offset " + queueOffset + " out of range");
        }
        AtomicLongArray chunk = chunk(queueId, (int) (queueOffset >>> CHUNK_BITS));
        int bit = (int) (queueOffset & (CHUNK_OFFSETS - 1));
        int word = bit >>> 6;
        long mask = 1L << (bit & 63);
        while (true) {
            long old = chunk.get(word);
            if ((old & mask) != 0) {
                return -1;
            }
            if (chunk.compareAndSet(word, old, old | mask)) {
                return unique.incrementAndGet();
            }
        }
    }

    /** Distinct messages delivered. */
    public long unique() {
        return unique.get();
    }

    /** Deliveries, duplicates included. */
    public long deliveries() {
        return deliveries.get();
    }

    /** Deliveries of a message that had been delivered before. */
    public long duplicates() {
        return deliveries.get() - unique.get();
    }

    private AtomicLongArray chunk(int queueId, int index) {
        AtomicReferenceArray<AtomicLongArray> chunks = queues.get(queueId);
        if (chunks == null) {
            queues.compareAndSet(queueId, null, new AtomicReferenceArray<>(MAX_CHUNKS));
            chunks = queues.get(queueId);
        }
        AtomicLongArray chunk = chunks.get(index);
        if (chunk == null) {
            chunks.compareAndSet(index, null, new AtomicLongArray(CHUNK_OFFSETS / 64));
            chunk = chunks.get(index);
        }
        return chunk;
    }
}
