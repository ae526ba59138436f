package dev.mq.core.internal.send;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.BatchBody;
import dev.mq.core.producer.AutoBatching;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Auto-batching (see {@link AutoBatching}): one flight at a time per queue — a send alone or a
 * {@link BatchSend} — and the sends that arrive meanwhile wait in the queue's line and leave
 * together when the flight's outcome is known.
 *
 * <p>Deadlines stay honest without a timer per message: a waiting send leaves at the latest when
 * everything ahead of it has had its outcome, which is by the latest deadline ahead of it. Only a
 * send whose own deadline comes earlier than that (mixed timeouts) gets a timer of its own.
 *
 * <p>A line nobody used for a whole idle period (see {@link SweepClock}) is removed, as the orderly
 * lanes are (see {@link OrderedLanes}): only when nothing flies or waits, under its lock, and marked
 * retired so that a send that found it just before looks its queue's line up again.
 */
final class AutoBatcher implements QueueFlights {

    private final DefaultProducer producer;
    private final int maxBytes;
    private final int maxMessages;
    private final long lingerNanos;
    private final ConcurrentMap<MessageQueue, Line> lines = new ConcurrentHashMap<>();

    AutoBatcher(DefaultProducer producer, AutoBatching settings) {
        this.producer = producer;
        this.maxBytes = settings.maxBytes();
        this.maxMessages = settings.maxMessages();
        this.lingerNanos = settings.linger().toNanos();
        this.sweepClock = new SweepClock(SweepClock.DEFAULT_IDLE_NANOS, producer.clock());
    }

    private final SweepClock sweepClock;

    int size() {
        return lines.size();
    }

    SweepClock sweepClock() {
        return sweepClock;
    }

    /** Whether {@code payload} may travel in an automatic batch (no explicit batch, no compression, no delay). */
    boolean accepts(Payload payload) {
        return !payload.batch() && payload.sysFlag() == 0 && !payload.first().isDelayed()
                && recordSize(payload) <= maxBytes;
    }

    /** {@code op} chose {@code queue}: it leaves now, alone, or waits in the queue's line. */
    void submit(MessageQueue queue, SendOperation op) {
        for (;;) {
            Line line = lines.get(queue);
            if (line == null) {
                line = lines.computeIfAbsent(queue, Line::new);
                if (sweepClock.due()) {
                    sweep();
                }
            }
            if (line.submit(op)) {
                return;
            }
            lines.remove(queue, line); // help the sweep, which may not have removed it yet: no spinning on it
        }
    }

    /** Removes the lines nobody used since the previous sweep. */
    private void sweep() {
        lines.forEach((queue, line) -> {
            if (line.retireIfUnused()) {
                lines.remove(queue, line);
            }
        });
    }

    /** Callback executor: the flight on {@code queue} has its outcome; the next one may leave. */
    @Override
    public void flightDone(MessageQueue queue) {
        lines.get(queue).flightDone();
        if (sweepClock.tick()) {
            sweep();
        }
    }

    int maxBytes() {
        return maxBytes;
    }

    int maxMessages() {
        return maxMessages;
    }

    /** The error of a send whose deadline passed while it waited for {@code queue}. */
    static MQException waitedPastDeadline(MessageQueue queue) {
        return new MQException(MQException.Reason.TIMEOUT, "the send waited behind earlier sends to " + queue
                + " past its deadline");
    }

    static int recordSize(Payload payload) {
        return BatchBody.recordSize(payload.body().length, payload.propertiesUtf8Length());
    }

    /** The sends for one queue: at most one flight, the rest waiting in arrival order. */
    private final class Line implements TimerTask {

        private final MessageQueue queue;
        private final ArrayDeque<SendOperation> waiting = new ArrayDeque<>();
        private int waitingBytes;
        private boolean flying;
        /** The latest deadline of the flight and of everything waiting: when the line is sure to move. */
        private long latestDeadlineAhead;
        private Timeout linger;
        /** Used since the last sweep (a new line counts as used, so a sweep cannot remove it at birth). */
        private boolean used = true;
        /** Removed from the map: whoever still holds it must look the queue's line up again. */
        private boolean retired;

        Line(MessageQueue queue) {
            this.queue = queue;
        }

        /** True if the line is idle and was not used since the last sweep: it is retired, remove it. */
        synchronized boolean retireIfUnused() {
            if (flying || !waiting.isEmpty() || linger != null) {
                return false;
            }
            if (used) {
                used = false;
                return false;
            }
            retired = true;
            return true;
        }

        /** False if the line was retired: {@code op} was not taken, look the queue's line up again. */
        boolean submit(SendOperation op) {
            List<SendOperation> batch = null;
            boolean alone = false;
            long deadline = op.deadlineNanos();
            synchronized (this) {
                if (retired) {
                    return false;
                }
                used = true;
                if (!flying && waiting.isEmpty()) {
                    latestDeadlineAhead = lingerNanos == 0 ? deadline : producer.clock().nanoTime() + lingerNanos;
                }
                if (!flying && waiting.isEmpty() && lingerNanos == 0) {
                    flying = true;
                    alone = true;
                } else {
                    if (deadline - latestDeadlineAhead < 0) {
                        op.armWaitTimer(false); // before it can be let go: that cancels the timer
                    } else {
                        latestDeadlineAhead = deadline;
                    }
                    waiting.add(op);
                    waitingBytes += recordSize(op.payload());
                    if (!flying) {
                        if (waiting.size() >= maxMessages || waitingBytes >= maxBytes) {
                            batch = takeBatch();
                        } else if (linger == null) {
                            linger = producer.remoting().schedule(this, lingerNanos, TimeUnit.NANOSECONDS);
                        }
                    }
                }
            }
            if (alone) {
                op.writeAlone();
                return true;
            }
            fly(batch);
            return true;
        }

        void flightDone() {
            List<SendOperation> batch;
            synchronized (this) {
                flying = false;
                batch = takeBatch();
            }
            fly(batch);
        }

        /**
         * Timer: the linger time of the first waiting send is over. The flight leaves from the
         * callback executor: writing runs hooks (user code), encoding and signing, and the timer
         * thread must stay free to expire every deadline of the client on time.
         */
        @Override
        public void run(Timeout timeout) {
            List<SendOperation> batch = null;
            synchronized (this) {
                linger = null;
                if (!flying) {
                    batch = takeBatch();
                }
            }
            if (batch != null) {
                List<SendOperation> leaving = batch;
                producer.runCallback(() -> fly(leaving));
            }
        }

        /** Under the lock: the next flight's sends (marking the line flying), or null if none waits. */
        private List<SendOperation> takeBatch() {
            if (linger != null) {
                linger.cancel();
                linger = null;
            }
            List<SendOperation> batch = null;
            int bytes = 0;
            SendOperation op;
            while ((op = waiting.peek()) != null) {
                int size = recordSize(op.payload());
                if (op.isDone()) { // expired while waiting
                    waiting.poll();
                    waitingBytes -= size;
                    continue;
                }
                if (batch != null && (batch.size() == maxMessages || bytes + size > maxBytes)) {
                    break;
                }
                waiting.poll();
                waitingBytes -= size;
                if (batch == null) {
                    batch = new ArrayList<>(Math.min(waiting.size() + 1, maxMessages));
                }
                batch.add(op);
                bytes += size;
            }
            flying = batch != null;
            return batch;
        }

        private void fly(List<SendOperation> batch) {
            if (batch == null) {
                return;
            }
            if (batch.size() == 1) {
                batch.get(0).writeAlone();
            } else {
                new BatchSend(producer, queue, batch, AutoBatcher.this).writeSafely();
            }
        }
    }
}
