package dev.mq.core.internal.consume;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The whole consumer's memory caps, over all its queues: messages pulled and not finished, and their
 * body bytes. A pull reserves room for the messages it asks for before it leaves (so the message cap
 * holds exactly, however many queues pull at once) and gives back what the answer did not use; the
 * byte cap is checked before a pull, so it is exceeded by at most the answers of the pulls already
 * under way. A queue that finds no room parks its next pull here — no thread waits — and it is
 * re-issued when finishing messages frees room.
 */
final class CacheBudget {

    private final int maxMessages;
    private final long maxBytes;
    /** Cached messages plus the room reserved by pulls under way. */
    private int messages;
    /** Cached messages only. */
    private int cached;
    private long bytes;
    /** Pulls waiting for room; each runs once when room frees (and may park again). */
    private final ConcurrentLinkedQueue<Runnable> parked = new ConcurrentLinkedQueue<>();

    CacheBudget(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Reserves room for up to {@code wanted} messages.
     *
     * @return the messages reserved (at most {@code wanted}), or 0 when the consumer is at a cap
     */
    synchronized int reserve(int wanted) {
        if (bytes >= maxBytes) {
            return 0;
        }
        int granted = Math.min(wanted, maxMessages - messages);
        if (granted <= 0) {
            return 0;
        }
        messages += granted;
        return granted;
    }

    /** A pull that reserved {@code reserved} brought {@code cached} messages of {@code cachedBytes} bytes. */
    void settle(int reserved, int cached, long cachedBytes) {
        boolean freed;
        synchronized (this) {
            messages -= reserved - cached;
            this.cached += cached;
            bytes += cachedBytes;
            freed = reserved > cached;
        }
        if (freed) {
            wakeParked();
        }
    }

    /** Messages left the cache (finished, or dropped with their queue). */
    void release(int count, long releasedBytes) {
        if (count == 0 && releasedBytes == 0) {
            return;
        }
        synchronized (this) {
            messages -= count;
            cached -= count;
            bytes -= releasedBytes;
        }
        wakeParked();
    }

    /** Runs {@code pull} once there is room: now, or when messages are released. */
    void whenRoom(Runnable pull) {
        parked.add(pull);
        if (hasRoom()) { // released between the caller's failed reserve and the park
            wakeParked();
        }
    }

    synchronized boolean hasRoom() {
        return bytes < maxBytes && messages < maxMessages;
    }

    /** Cached messages and the room reserved by pulls under way. */
    synchronized int messages() {
        return messages;
    }

    /** Cached messages (pulled, not finished), over all queues, at one instant. */
    synchronized int cachedMessages() {
        return cached;
    }

    /** Their body bytes, at one instant. */
    synchronized long bytes() {
        return bytes;
    }

    int parkedPulls() {
        return parked.size();
    }

    private void wakeParked() {
        int n = parked.size(); // each parked pull at most once per wake: one that parks again waits for the next
        for (int i = 0; i < n && hasRoom(); i++) {
            Runnable next = parked.poll();
            if (next == null) {
                return;
            }
            next.run();
        }
    }
}
