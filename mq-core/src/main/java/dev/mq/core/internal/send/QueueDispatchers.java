package dev.mq.core.internal.send;

import dev.mq.core.MessageQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link QueueDispatcher}s of one policy, one per queue in use. A dispatcher nobody used for a
 * whole idle period (see {@link SweepClock}) is retired and removed, so that a producer that sent to
 * many queues once does not keep a dispatcher for each forever.
 */
final class QueueDispatchers {

    private final DefaultProducer producer;
    private final DispatchPolicy policy;
    private final ConcurrentMap<MessageQueue, QueueDispatcher> dispatchers = new ConcurrentHashMap<>();
    private final SweepClock sweepClock;

    QueueDispatchers(DefaultProducer producer, DispatchPolicy policy) {
        this.producer = producer;
        this.policy = policy;
        this.sweepClock = new SweepClock(SweepClock.DEFAULT_IDLE_NANOS, producer.clock());
    }

    DispatchPolicy policy() {
        return policy;
    }

    /** {@code send} chose {@code queue}: it leaves now, alone, or waits for the queue's dispatcher. */
    void dispatch(MessageQueue queue, SendOperation send) {
        for (;;) {
            QueueDispatcher dispatcher = dispatchers.get(queue);
            if (dispatcher == null) {
                dispatcher = dispatchers.computeIfAbsent(queue, q -> new QueueDispatcher(producer, policy, q, this));
                if (sweepClock.due()) {
                    sweep();
                }
            }
            if (dispatcher.offer(send)) {
                return;
            }
            // Retired by a sweep that may not have removed it yet: help, so that nobody spins on it.
            dispatchers.remove(queue, dispatcher);
        }
    }

    /** A dispatcher's queue became idle: once in a while, that is when to sweep. */
    void idle() {
        if (sweepClock.tick()) {
            sweep();
        }
    }

    /** Removes the dispatchers nobody used since the previous sweep. */
    private void sweep() {
        dispatchers.forEach((queue, dispatcher) -> {
            if (dispatcher.retireIfUnused()) {
                dispatchers.remove(queue, dispatcher);
            }
        });
    }

    int size() {
        return dispatchers.size();
    }

    SweepClock sweepClock() {
        return sweepClock;
    }
}
