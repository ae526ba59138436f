package dev.mq.core.producer;

import dev.mq.core.MessageQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps orderly sends in order all the way into the store. A broker handles the requests of one
 * connection on several threads, so two pipelined sends to one queue can be stored in either
 * order. Orderly sends therefore go through a lane per queue: at most one flight, the next written
 * when the previous one's outcome is known. (Ordinary sends are not affected.)
 *
 * <p>With auto-batching on, the asynchronous sends parked behind a flight leave together, in their
 * order, as one batch (a broker stores a batch's messages consecutively); a send that cannot travel
 * in a batch ends the run and goes alone after it.
 */
final class OrderedLanes implements QueueFlights {

    private final ConcurrentMap<MessageQueue, Lane> lanes = new ConcurrentHashMap<>();
    private final DefaultProducer producer;

    OrderedLanes(DefaultProducer producer) {
        this.producer = producer;
    }

    /** True if {@code op} may write now; otherwise it is parked and resumed when the lane is free. */
    boolean enter(MessageQueue queue, SendOperation op) {
        return lanes.computeIfAbsent(queue, q -> new Lane()).enter(op);
    }

    /** The flight that held {@code queue} has its outcome: the next parked send(s) go, in order. */
    @Override
    public void flightDone(MessageQueue queue) {
        Lane lane = lanes.get(queue);
        if (lane == null) {
            return;
        }
        AutoBatcher batcher = producer.batcher();
        List<SendOperation> next = lane.next(batcher);
        if (next == null) {
            return;
        }
        if (next.size() == 1) {
            producer.runCallback(next.get(0)::resumeFromLane);
        } else {
            producer.runCallback(() -> new BatchSend(producer, queue, next, this).write());
        }
    }

    private static final class Lane {

        private final ArrayDeque<SendOperation> parked = new ArrayDeque<>();
        private boolean busy;

        synchronized boolean enter(SendOperation op) {
            if (busy) {
                op.armWaitTimer(true); // before it can be resumed: the resume must find the timer to cancel
                parked.add(op);
                return false;
            }
            busy = true;
            return true;
        }

        /**
         * Hands the lane to the next parked send that is still waiting — with {@code batcher}, to the
         * run of batchable sends that starts with it, within the batch caps — or frees it.
         */
        synchronized List<SendOperation> next(AutoBatcher batcher) {
            SendOperation first = nextLive();
            if (first == null) {
                busy = false;
                return null;
            }
            if (batcher == null || !first.isBatchable()) {
                return List.of(first);
            }
            List<SendOperation> run = new ArrayList<>();
            run.add(first);
            int bytes = AutoBatcher.recordSize(first.payload());
            SendOperation op;
            while (run.size() < batcher.maxMessages() && (op = parked.peek()) != null) {
                if (op.isDone()) {
                    parked.poll();
                    continue;
                }
                int size = AutoBatcher.recordSize(op.payload());
                if (!op.isBatchable() || bytes + size > batcher.maxBytes()) {
                    break;
                }
                parked.poll();
                run.add(op);
                bytes += size;
            }
            return run;
        }

        private SendOperation nextLive() {
            SendOperation op;
            while ((op = parked.poll()) != null) {
                if (!op.isDone()) {
                    return op;
                }
            }
            return null;
        }
    }
}
