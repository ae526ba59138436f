package dev.mq.core.internal.send;

import dev.mq.core.producer.AutoBatching;

/**
 * How the {@link QueueDispatcher}s of one kind of send let their queue's waiting sends go.
 *
 * @param ordered     the sends chose their queue with a selector and must be stored in call order:
 *                    every send that waits gets a timer for its own deadline, and only
 *                    consecutive batchable sends leave together
 * @param maxMessages how many sends may leave together as one batch (1: never batched)
 * @param maxBytes    the cap on a batch's encoded size
 * @param lingerNanos how long a send to an idle queue waits for others to join it (0: it leaves at once)
 */
record DispatchPolicy(boolean ordered, int maxMessages, int maxBytes, long lingerNanos) {

    /** Orderly sends: one at a time per queue; with auto-batching on, consecutive waiting ones leave together. */
    static DispatchPolicy ordered(AutoBatching batching) {
        return batching.enabled()
                ? new DispatchPolicy(true, batching.maxMessages(), batching.maxBytes(), 0)
                : new DispatchPolicy(true, 1, Integer.MAX_VALUE, 0);
    }

    /** Auto-batched unordered sends (see {@link AutoBatching}): the linger time applies to them alone. */
    static DispatchPolicy batching(AutoBatching batching) {
        return new DispatchPolicy(false, batching.maxMessages(), batching.maxBytes(), batching.linger().toNanos());
    }

    /**
     * Whether {@code payload} may travel in an automatic batch under this policy: one message, not
     * compressed, not delayed, within the byte cap.
     */
    boolean accepts(Payload payload) {
        return maxMessages > 1 && !payload.batch() && !payload.reply() && payload.sysFlag() == 0 && !payload.first().isDelayed()
                && BatchSend.recordSize(payload) <= maxBytes;
    }
}
