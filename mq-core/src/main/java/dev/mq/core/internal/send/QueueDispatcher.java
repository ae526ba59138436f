package dev.mq.core.internal.send;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Lets one request at a time go to its queue — a send alone or a {@link BatchSend} — for the sends
 * of one {@link DispatchPolicy}. While that request is on the wire the queue is <em>muted</em>, and
 * the sends that arrive wait here in arrival order; when its outcome is known the queue is released
 * and the waiting sends <em>leave</em>: the first alone, or, under a batching policy, with the
 * batchable ones behind it as one batch within the policy's caps. Finished sends (expired while
 * waiting) are skipped.
 *
 * <p>Two kinds of sends need this. Orderly sends must be stored in call order, and a broker handles
 * the requests of one connection on several threads, so two pipelined sends to one queue could be
 * stored in either order. Auto-batched sends gain from it: what waits behind a request leaves as one
 * batch, which one broker append stores.
 *
 * <p>Deadlines stay honest without a timer per send where that is safe: a waiting send leaves at
 * the latest when everything ahead of it has had its outcome, which is by the latest deadline
 * ahead of it. Only a send whose own deadline comes earlier than that (mixed timeouts) gets a timer
 * of its own — as does every waiting orderly send. The timer is set before the send can leave, and
 * cancelled when it does.
 *
 * <p>A dispatcher is retired (see {@link QueueDispatchers}) only when idle — nothing on the wire,
 * nothing waiting, no linger pending — under its lock, and marked: a send that found it just
 * before sees the mark and looks its queue's dispatcher up again, so no send is lost and no queue
 * gets two requests on the wire.
 */
final class QueueDispatcher implements TimerTask {

    private final DefaultProducer producer;
    private final DispatchPolicy policy;
    private final MessageQueue queue;
    private final QueueDispatchers owner;
    private final ArrayDeque<SendOperation> waiting = new ArrayDeque<>();
    private int waitingBytes;
    /** A request to the queue is on the wire: whoever arrives waits. */
    private boolean muted;
    /** The latest deadline of the request on the wire and of everything waiting: when the queue is sure to move. */
    private long latestDeadlineAhead;
    private @Nullable Timeout linger;
    /** Used since the last sweep (a new dispatcher counts as used, so a sweep cannot retire it at birth). */
    private boolean used = true;
    /** Removed from the map: whoever still holds it must look the queue's dispatcher up again. */
    private boolean retired;

    QueueDispatcher(DefaultProducer producer, DispatchPolicy policy, MessageQueue queue, QueueDispatchers owner) {
        this.producer = producer;
        this.policy = policy;
        this.queue = queue;
        this.owner = owner;
    }

    /** The error of a send whose deadline passed while it waited for {@code queue}. */
    static MQException waitedPastDeadline(MessageQueue queue) {
        return new MQException(MQException.Reason.TIMEOUT, "the send waited behind earlier sends to " + queue
                + " past its deadline");
    }

    /**
     * {@code send} chose this queue: it leaves now, alone, or waits. False if the dispatcher was
     * retired: {@code send} was not taken, look the queue's dispatcher up again.
     */
    boolean offer(SendOperation send) {
        List<SendOperation> leaving = null;
        boolean alone = false;
        long deadline = send.deadlineNanos();
        synchronized (this) {
            if (retired) {
                return false;
            }
            used = true;
            boolean idle = !muted && waiting.isEmpty();
            if (idle && policy.lingerNanos() == 0) {
                muted = true;
                latestDeadlineAhead = deadline;
                alone = true;
                send.holdQueue(this);
            } else {
                if (idle) {
                    latestDeadlineAhead = producer.clock().nanoTime() + policy.lingerNanos();
                }
                boolean withTimer = policy.ordered() || deadline - latestDeadlineAhead < 0;
                if (!withTimer) {
                    latestDeadlineAhead = deadline;
                }
                send.waitForQueue(withTimer); // before it can leave: leaving cancels the timer
                waiting.add(send);
                waitingBytes += BatchSend.recordSize(send.payload());
                if (!muted) { // lingering
                    if (waiting.size() >= policy.maxMessages() || waitingBytes >= policy.maxBytes()) {
                        leaving = takeNext();
                    } else if (linger == null) {
                        linger = producer.remoting().schedule(this, policy.lingerNanos(), TimeUnit.NANOSECONDS);
                    }
                }
            }
        }
        if (alone) {
            send.leave();
        } else {
            leave(leaving, false);
        }
        return true;
    }

    /**
     * The request that muted the queue has its outcome: the next waiting send(s) leave — from the
     * callback executor if this is the event loop ({@code onEventLoop}), since leaving runs hooks.
     */
    void release(boolean onEventLoop) {
        List<SendOperation> next;
        synchronized (this) {
            muted = false;
            next = takeNext();
        }
        leave(next, onEventLoop);
        owner.idle();
    }

    /**
     * Timer: the linger time of the first waiting send is over. The sends leave from the callback
     * executor: writing runs hooks (user code), encoding and signing, and the timer thread must stay
     * free to expire every deadline of the client on time.
     */
    @Override
    public void run(Timeout timeout) {
        List<SendOperation> next = null;
        synchronized (this) {
            linger = null;
            if (!muted) {
                next = takeNext();
            }
        }
        leave(next, true);
    }

    /** True if the dispatcher is idle and was not used since the last sweep: it is retired, remove it. */
    synchronized boolean retireIfUnused() {
        if (muted || !waiting.isEmpty() || linger != null) {
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
     * Under the lock: the sends that leave next — the first live one, and under a batching policy the
     * batchable ones right behind it, within the caps — muting the queue; or null if none waits.
     */
    private @Nullable List<SendOperation> takeNext() {
        if (linger != null) {
            linger.cancel();
            linger = null;
        }
        SendOperation first = null;
        List<SendOperation> batch = null;
        int bytes = 0;
        SendOperation send;
        while ((send = waiting.peek()) != null) {
            int size = BatchSend.recordSize(send.payload());
            if (send.isDone()) { // expired while waiting
                waiting.poll();
                waitingBytes -= size;
                continue;
            }
            if (first != null && (!first.isBatchable() || !send.isBatchable()
                    || (batch == null ? 1 : batch.size()) == policy.maxMessages() || bytes + size > policy.maxBytes())) {
                break;
            }
            waiting.poll();
            waitingBytes -= size;
            if (first == null) {
                first = send;
            } else {
                if (batch == null) {
                    batch = new ArrayList<>(Math.min(waiting.size() + 1, policy.maxMessages()));
                    batch.add(first);
                }
                batch.add(send);
            }
            bytes += size;
        }
        muted = first != null;
        if (batch != null) {
            return batch;
        }
        if (first == null) {
            return null;
        }
        first.holdQueue(this);
        return List.of(first);
    }

    /** {@code next} (if any) leaves: here, or from the callback executor when {@code hop}. */
    private void leave(@Nullable List<SendOperation> next, boolean hop) {
        if (next == null) {
            return;
        }
        if (next.size() == 1) {
            SendOperation send = next.get(0);
            if (hop) {
                producer.runCallback(send::leave);
            } else {
                send.leave();
            }
        } else if (hop) {
            producer.runCallback(() -> new BatchSend(producer, queue, next, this).writeSafely());
        } else {
            new BatchSend(producer, queue, next, this).writeSafely();
        }
    }
}
