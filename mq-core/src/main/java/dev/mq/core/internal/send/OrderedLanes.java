package dev.mq.core.internal.send;

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
 *
 * <p>A lane nobody used for a whole idle period (see {@link SweepClock}) is removed, so that a
 * producer that sent to many queues once does not keep a lane for each forever. A lane is removed
 * only when free, under its lock, and marked retired: a send that found it just before sees the
 * mark and looks its queue's lane up again, so no send is lost and no queue gets two flights.
 */
final class OrderedLanes implements QueueFlights {

    private final ConcurrentMap<MessageQueue, Lane> lanes = new ConcurrentHashMap<>();
    private final DefaultProducer producer;

    private final SweepClock sweepClock;

    OrderedLanes(DefaultProducer producer) {
        this.producer = producer;
        this.sweepClock = new SweepClock(SweepClock.DEFAULT_IDLE_NANOS, producer.clock());
    }

    int size() {
        return lanes.size();
    }

    SweepClock sweepClock() {
        return sweepClock;
    }

    /** True if {@code op} may write now; otherwise it is parked and resumed when the lane is free. */
    boolean enter(MessageQueue queue, SendOperation op) {
        for (;;) {
            Lane lane = lanes.get(queue);
            if (lane == null) {
                lane = lanes.computeIfAbsent(queue, q -> new Lane());
                if (sweepClock.due()) {
                    sweep();
                }
            }
            int entered = lane.enter(op);
            if (entered != Lane.RETIRED) {
                return entered == Lane.ENTERED;
            }
            lanes.remove(queue, lane); // help the sweep, which may not have removed it yet: no spinning on it
        }
    }

    /** Removes the lanes nobody used since the previous sweep. */
    private void sweep() {
        lanes.forEach((queue, lane) -> {
            if (lane.retireIfUnused()) {
                lanes.remove(queue, lane);
            }
        });
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
            if (sweepClock.tick()) {
                sweep();
            }
            return;
        }
        if (next.size() == 1) {
            producer.runCallback(next.get(0)::resumeFromLane);
        } else {
            producer.runCallback(() -> new BatchSend(producer, queue, next, this).writeSafely());
        }
    }

    private static final class Lane {

        static final int ENTERED = 1;
        static final int PARKED = 0;
        static final int RETIRED = -1;

        private final ArrayDeque<SendOperation> parked = new ArrayDeque<>();
        private boolean busy;
        /** Used since the last sweep (a new lane counts as used, so a sweep cannot remove it at birth). */
        private boolean used = true;
        /** Removed from the map: whoever still holds it must look the queue's lane up again. */
        private boolean retired;

        /** {@link #ENTERED}: write now; {@link #PARKED}: resumed later; {@link #RETIRED}: look again. */
        synchronized int enter(SendOperation op) {
            if (retired) {
                return RETIRED;
            }
            used = true;
            if (busy) {
                op.armWaitTimer(true); // before it can be resumed: the resume must find the timer to cancel
                parked.add(op);
                return PARKED;
            }
            busy = true;
            return ENTERED;
        }

        /** True if the lane is free and was not used since the last sweep: it is retired, remove it. */
        synchronized boolean retireIfUnused() {
            if (busy || !parked.isEmpty()) {
                return false;
            }
            if (used) {
                used = false;
                return false;
            }
            retired = true;
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
