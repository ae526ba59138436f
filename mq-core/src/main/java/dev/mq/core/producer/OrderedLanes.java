package dev.mq.core.producer;

import dev.mq.core.MessageQueue;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Keeps orderly sends in order all the way into the store. A broker handles the requests of one
 * connection on several threads, so two pipelined sends to one queue can be stored in either
 * order. Orderly sends therefore go through a lane per queue: at most one in flight, the next
 * written when the previous one's outcome is known. (Ordinary sends are not affected.)
 */
final class OrderedLanes {

    private final ConcurrentMap<MessageQueue, Lane> lanes = new ConcurrentHashMap<>();
    private final Supplier<Executor> executor;

    /** @param executor where resumed sends run (looked up late: the client may not be started yet) */
    OrderedLanes(Supplier<Executor> executor) {
        this.executor = executor;
    }

    /** True if {@code op} may write now; otherwise it is parked and resumed via {@code writeAttempt}. */
    boolean enter(MessageQueue queue, SendOperation op) {
        return lanes.computeIfAbsent(queue, q -> new Lane()).enter(op);
    }

    /** The send that held {@code queue} finished: resume the next parked one, in order. */
    void leave(MessageQueue queue) {
        Lane lane = lanes.get(queue);
        if (lane != null) {
            SendOperation next = lane.next();
            if (next != null) {
                executor.get().execute(next::resumeFromLane);
            }
        }
    }

    private static final class Lane {

        private final ArrayDeque<SendOperation> parked = new ArrayDeque<>();
        private boolean busy;

        synchronized boolean enter(SendOperation op) {
            if (busy) {
                parked.add(op);
                return false;
            }
            busy = true;
            return true;
        }

        /** Hands the lane to the next parked send that is still waiting, or frees it. */
        synchronized SendOperation next() {
            SendOperation op;
            while ((op = parked.poll()) != null) {
                if (!op.isDone()) {
                    return op;
                }
            }
            busy = false;
            return null;
        }
    }
}
