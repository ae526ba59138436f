package dev.mq.core.internal.consume;

import dev.mq.core.MessageQueue;
import dev.mq.core.consumer.ConsumerStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One owned queue's messages between pull and finish, and where its offsets stand.
 *
 * <p>Invariants (every method holds the queue's monitor):
 * <ul>
 *   <li>{@code unfinished} holds every pulled message that is not finished, whether waiting for a
 *       handler ({@code ready}), being handled, or waiting for its send-back; a message leaves it only
 *       by {@link #finish}. So {@link #committableOffset()} — the lowest unfinished offset, or the next
 *       pull offset when nothing is unfinished — never passes an unsettled message.</li>
 *   <li>{@code nextPullOffset} only moves with a pull result ({@link #add}, {@link #advance}) or a
 *       broker correction ({@link #moveTo}); messages below it were all added when it moved.</li>
 *   <li>Once {@link #drop dropped} (the queue was given up, or the consumer stops), the queue takes no
 *       messages and hands none out; handlers still running may finish, which only releases their
 *       memory. Its final offset is the committable offset read after the drop, when in-flight handlers
 *       finished or the wait for them ended: a handler finishing later is re-delivered to the next owner
 *       (the documented duplicate window), never skipped.</li>
 * </ul>
 * Counts for the memory caps are kept by the caller ({@link CacheBudget}) from what these methods return.
 */
final class ProcessQueue {

    private final MessageQueue queue;
    private final TreeMap<Long, PendingMessage> unfinished = new TreeMap<>();
    private final ArrayDeque<PendingMessage> ready = new ArrayDeque<>();
    private long nextPullOffset;
    private long brokerMaxOffset = -1;
    private long cachedBytes;
    /** Messages in memory: ready ones and handed-out ones not yet finished. */
    private int cachedMessages;
    /** Messages handed out and not yet finished or handed back. */
    private int inFlight;
    /** Listener calls running now (for stats). */
    private int handlersRunning;
    private boolean dropped;
    /** Offsets sent to the broker (a pull's commit offset, a periodic commit) and not yet acknowledged. */
    private int commitsUnacknowledged;
    /** Of those, the ones whose request has no outcome yet (neither answered nor failed). */
    private int commitsUnanswered;
    /** The lowest of them; {@code Long.MAX_VALUE} while none is. */
    private long lowestUnacknowledgedCommit = Long.MAX_VALUE;
    /** Whether the queue is in the dispatcher's ready list (at most once). */
    private boolean scheduled;

    ProcessQueue(MessageQueue wireQueue, long startOffset) {
        this.queue = wireQueue;
        this.nextPullOffset = startOffset;
    }

    MessageQueue queue() {
        return queue;
    }

    synchronized long nextPullOffset() {
        return nextPullOffset;
    }

    synchronized boolean isDropped() {
        return dropped;
    }

    /**
     * A pull found {@code messages} (possibly none left after the client's tag check) and the next
     * pull starts at {@code next}.
     *
     * @return what was cached (a message already cached is not taken twice); nothing if the queue was
     *     dropped meanwhile
     */
    synchronized Added add(List<PendingMessage> messages, long next, long maxOffset) {
        if (dropped) {
            return Added.NOTHING;
        }
        int count = 0;
        long bytes = 0;
        for (PendingMessage m : messages) {
            if (unfinished.putIfAbsent(m.queueOffset(), m) == null) {
                ready.add(m);
                count++;
                bytes += m.bytes();
            }
        }
        cachedMessages += count;
        cachedBytes += bytes;
        nextPullOffset = next;
        brokerMaxOffset = maxOffset;
        return new Added(count, bytes);
    }

    /** What one pull added to the cache. */
    record Added(int messages, long bytes) {
        static final Added NOTHING = new Added(0, 0);
    }

    /** A pull found nothing (or nothing that matched): continue at {@code next}. */
    synchronized void advance(long next, long maxOffset) {
        if (!dropped) {
            nextPullOffset = next;
            brokerMaxOffset = maxOffset;
        }
    }

    /** The broker said the offset is out of range: continue at {@code next}, which may be lower. */
    synchronized void moveTo(long next) {
        if (!dropped) {
            nextPullOffset = next;
        }
    }

    /** Up to {@code max} ready messages, in queue order, handed to a handler; empty when dropped. */
    synchronized List<PendingMessage> take(int max) {
        if (dropped || ready.isEmpty()) {
            return List.of();
        }
        List<PendingMessage> batch = new ArrayList<>(Math.min(max, ready.size()));
        while (batch.size() < max && !ready.isEmpty()) {
            batch.add(ready.poll());
        }
        inFlight += batch.size();
        return batch;
    }

    /** Marks the queue as listed for dispatch; false if it already is, or has nothing ready, or was dropped. */
    synchronized boolean schedule() {
        if (scheduled || dropped || ready.isEmpty()) {
            return false;
        }
        scheduled = true;
        return true;
    }

    /** After a take: whether the queue stays listed (it has more ready), else it is unlisted. */
    synchronized boolean stayScheduled() {
        scheduled = !dropped && !ready.isEmpty();
        return scheduled;
    }

    synchronized void handlerStarted() {
        handlersRunning++;
    }

    synchronized void handlerEnded() {
        handlersRunning--;
    }

    /**
     * {@code message} is settled (handled, or accepted by the broker for a retry).
     *
     * @return whether it was still cached here (false if finished before), so the caller releases its memory once
     */
    synchronized boolean finish(PendingMessage message) {
        inFlight--;
        if (unfinished.remove(message.queueOffset(), message)) {
            cachedMessages--;
            cachedBytes -= message.bytes();
            return true;
        }
        return false;
    }

    /**
     * {@code message} failed after its queue was given up: it leaves memory but keeps holding the
     * offset, so the final commit stays below it and the next owner delivers it again.
     *
     * @return whether it was still cached here, so the caller releases its memory once
     */
    synchronized boolean abandon(PendingMessage message) {
        inFlight--;
        if (unfinished.get(message.queueOffset()) == message) {
            cachedMessages--;
            cachedBytes -= message.bytes();
            return true;
        }
        return false;
    }

    /**
     * {@code message} could not be settled (its send-back failed): it waits for a handler again.
     *
     * @return false if the queue was dropped meanwhile: the caller abandons it instead (the next owner re-reads it)
     */
    synchronized boolean handBack(PendingMessage message) {
        if (dropped) {
            return false;
        }
        inFlight--;
        ready.addFirst(message);
        return true;
    }

    /**
     * Gives the queue up: nothing more is taken or handed out. The messages not yet handed out leave
     * the cache (the next owner reads them again); the caller releases them from the caps.
     *
     * @return the messages that left the cache
     */
    synchronized List<PendingMessage> drop() {
        if (dropped) {
            return List.of();
        }
        dropped = true;
        List<PendingMessage> released = new ArrayList<>(ready);
        // They stay in unfinished: the committable offset must not pass them.
        for (PendingMessage m : ready) {
            cachedMessages--;
            cachedBytes -= m.bytes();
        }
        ready.clear();
        return released;
    }

    /**
     * The offset a periodic commit may write now, noted as unacknowledged until
     * {@link #commitAcknowledged()}; {@link OffsetStore#NONE} once the queue is being given up (from
     * {@link #drop}, atomically with it), when only its final commit may write its offset.
     */
    synchronized long offsetToCommit() {
        if (dropped) {
            return OffsetStore.NONE;
        }
        return noteSent(committableOffset());
    }

    /**
     * The commit offset the next pull carries, noted as {@link #offsetToCommit()} notes it; 0 (the pull
     * carries none) for a queue being given up, and for offset 0, which pulls do not send.
     */
    synchronized long offsetForPull() {
        long offset = dropped ? 0 : committableOffset();
        return offset > 0 ? noteSent(offset) : 0;
    }

    private long noteSent(long offset) {
        commitsUnacknowledged++;
        commitsUnanswered++;
        lowestUnacknowledgedCommit = Math.min(lowestUnacknowledgedCommit, offset);
        return offset;
    }

    /** The broker answered a request carrying an offset from {@link #offsetToCommit()} or {@link #offsetForPull()}. */
    synchronized void commitAcknowledged() {
        if (--commitsUnacknowledged <= 0) {
            commitsUnacknowledged = 0;
            lowestUnacknowledgedCommit = Long.MAX_VALUE;
        }
        answered();
    }

    /**
     * A request carrying an offset failed or went unanswered: it stays unacknowledged (the broker may
     * still apply it), but there is no answer to wait for.
     */
    synchronized void commitFailed() {
        answered();
    }

    private void answered() {
        if (--commitsUnanswered <= 0) {
            commitsUnanswered = 0;
            notifyAll();
        }
    }

    /**
     * Waits until every request that carried an offset has its outcome (answered or failed), or
     * {@code deadlineNanos} ({@link System#nanoTime()}: it waits for other threads).
     */
    synchronized void awaitCommitsAnswered(long deadlineNanos) {
        while (commitsUnanswered > 0) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Whether an offset below {@code finalOffset} was sent and not acknowledged: the broker may still
     * apply it after the final commit.
     */
    synchronized boolean olderCommitMayLand(long finalOffset) {
        return commitsUnacknowledged > 0 && lowestUnacknowledgedCommit < finalOffset;
    }

    /** Whether any offset was sent and not acknowledged: the broker may still apply it. */
    synchronized boolean commitMayLand() {
        return commitsUnacknowledged > 0;
    }

    /** Whether no handed-out message is still unsettled. */
    synchronized boolean isIdle() {
        return inFlight == 0;
    }

    /** Everything below this offset is finished: the lowest unfinished offset, else the next pull offset. */
    synchronized long committableOffset() {
        return unfinished.isEmpty() ? nextPullOffset : unfinished.firstKey();
    }

    synchronized ConsumerStats.QueueStats stats() {
        return new ConsumerStats.QueueStats(committableOffset(), brokerMaxOffset, cachedMessages, cachedBytes,
                handlersRunning);
    }

    @Override
    public String toString() {
        return "ProcessQueue[" + queue + "]";
    }
}
