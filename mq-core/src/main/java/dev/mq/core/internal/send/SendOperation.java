package dev.mq.core.internal.send;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import dev.mq.core.internal.protocol.SendResponse;
import dev.mq.core.internal.route.RouteWaiter;
import dev.mq.core.internal.route.TopicPublishInfo;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.producer.QueueSelector;
import dev.mq.core.producer.SendContext;
import dev.mq.core.producer.SendMode;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One send from call to outcome: route, queue choice, attempts and retries, all inside one
 * deadline. Responses arrive on the event loop; the outcome is handed to the callback executor
 * (hooks, the caller's future), so no user code ever runs on the event loop.
 */
final class SendOperation extends BrokerAttempt implements RouteWaiter, TimerTask {

    private static final AtomicIntegerFieldUpdater<SendOperation> DONE =
            AtomicIntegerFieldUpdater.newUpdater(SendOperation.class, "done");
    private static final AtomicIntegerFieldUpdater<SendOperation> BEFORE_FIRED =
            AtomicIntegerFieldUpdater.newUpdater(SendOperation.class, "beforeFired");

    private final Payload payload;
    private final SendMode mode;
    private final QueueSelector selector;
    private final Object selectorArg;
    private final long startNanos;
    private final long deadlineNanos;
    private final int maxAttempts;
    private final CompletableFuture<SendResult> future;
    private final boolean completeInline;
    /** Whether this send may travel in an automatic batch (unordered, or in a run of orderly sends). */
    private final boolean batchable;

    private TopicPublishInfo route;
    private int attempt;
    private Timeout routeTimeout;
    /**
     * Fails the send at its deadline while it waits for its queue. Set under the queue dispatcher's
     * lock before the send can be seen there, so whoever lets it leave cancels it.
     */
    private Timeout waitTimeout;
    /** The dispatcher whose queue this send's attempt mutes until its outcome; null when none does. */
    private QueueDispatcher dispatcher;
    private volatile int done;
    /** The attempts whose beforeSend has fired: a timer and a resume racing fire it once between them. */
    private volatile int beforeFired;

    SendOperation(DefaultProducer producer, Payload payload, SendMode mode, QueueSelector selector, Object selectorArg,
                  long startNanos, long deadlineNanos, CompletableFuture<SendResult> future) {
        super(producer);
        this.payload = payload;
        this.mode = mode;
        this.selector = selector;
        this.selectorArg = selectorArg;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
        // Orderly and oneway sends are never retried: a retry could land out of order or twice.
        this.maxAttempts = selector != null || mode == SendMode.ONEWAY ? 1 : 1 + producer.config().retries();
        this.future = future;
        // Without hooks no user code runs on completion when the caller owns the future (sync) or there is
        // none (oneway): complete where the outcome arrives, without a hop to the callback executor.
        this.completeInline = mode != SendMode.ASYNC && producer.hooks().isEmpty();
        this.batchable = mode == SendMode.ASYNC && producer.batching() != null
                && producer.batching().policy().accepts(payload);
    }

    /** Caller thread: starts with a cached route, or waits for the one lookup of the topic. */
    void start() {
        TopicPublishInfo cached = producer.routes().cached(payload.wireTopic());
        if (cached != null) {
            routeReady(cached);
            return;
        }
        long remaining = deadlineNanos - producer.clock().nanoTime();
        routeTimeout = producer.remoting().schedule(this, Math.max(remaining, 0), TimeUnit.NANOSECONDS);
        producer.routes().await(payload.wireTopic(), this);
    }

    /** Timer: the deadline passed while waiting for the route (or the client closed the timer). */
    @Override
    public void run(Timeout timeout) {
        if (!producer.isRunning()) {
            finishBeforeAttempt(new MQException(MQException.Reason.SHUTDOWN, "the client closed while the send to '"
                    + payload.userTopic() + "' waited for its route"));
            return;
        }
        finishBeforeAttempt(new MQException(MQException.Reason.TIMEOUT, "the route of topic '" + payload.userTopic()
                + "' was not available within the send deadline of "
                + TimeUnit.NANOSECONDS.toMillis(deadlineNanos - startNanos) + " ms"));
    }

    /** The send could not even start: complete it with {@code error} and release what it holds. */
    void abort(MQException error) {
        finishBeforeAttempt(error);
    }

    @Override
    public void routeReady(TopicPublishInfo found) {
        if (done != 0) {
            return;
        }
        if (routeTimeout != null) {
            routeTimeout.cancel();
        }
        this.route = found;
        sendAttempt();
    }

    @Override
    public void routeFailed(MQException error) {
        if (routeTimeout != null) {
            routeTimeout.cancel();
        }
        finishBeforeAttempt(error);
    }

    /** Caller thread or callback executor: chooses a queue and writes one attempt. */
    private void sendAttempt() {
        attempt++;
        String lastBroker = queue == null ? null : queue.brokerName();
        try {
            queue = selector != null ? selectQueue() : route.select(lastBroker, producer.brokerAvailable());
        } catch (Throwable e) { // an Error too: the send must complete and return its capacity
            attempt--;
            finishBeforeAttempt(e instanceof MQException mq ? mq : unexpected(e));
            return;
        }
        if (batchable && selector == null) {
            producer.batching().dispatch(queue, this);
            return;
        }
        // Oneway orderly sends take their turn too (else they would overtake the waiting sends of their
        // key); the queue is released once the frame is written, when the oneway "outcome" is known.
        if (selector != null) {
            producer.orderly().dispatch(queue, this);
            return;
        }
        writeSafely();
    }

    /**
     * Under the lock of the queue dispatcher this send is about to wait in ({@code orderly}: one for
     * orderly sends): a timer fails it with TIMEOUT at its deadline unless it leaves first (which
     * cancels it).
     */
    void armWaitTimer(boolean orderly) {
        waitTimeout = producer.remoting().schedule(t -> expireWhileWaiting(orderly
                ? new MQException(MQException.Reason.TIMEOUT, "orderly send to " + queue + " waited behind earlier "
                        + "sends to the same queue past its deadline")
                : QueueDispatcher.waitedPastDeadline(queue)), Math.max(deadlineNanos - producer.clock().nanoTime(), 0),
                TimeUnit.NANOSECONDS);
    }

    /** The send leaves its queue's dispatcher: its wait timer would only hold it (and its body) until the deadline. */
    private void disarmWaitTimer() {
        Timeout timer = waitTimeout;
        if (timer != null) {
            waitTimeout = null;
            timer.cancel();
        }
    }

    /** Under the dispatcher's lock: this send leaves alone and mutes {@code mutedBy}'s queue until its outcome. */
    void holdQueue(QueueDispatcher mutedBy) {
        dispatcher = mutedBy;
    }

    /**
     * Its queue's dispatcher lets this send leave alone (see {@link #holdQueue}): it is written, or,
     * if it expired while waiting, the queue is released at once.
     */
    void leave() {
        disarmWaitTimer();
        if (done == 0) {
            writeSafely();
        } else {
            releaseQueue(false);
        }
    }

    /** The attempt that muted its queue has its outcome: the dispatcher lets the next send(s) leave. */
    private void releaseQueue(boolean onEventLoop) {
        QueueDispatcher mutedBy = dispatcher;
        if (mutedBy != null) {
            dispatcher = null;
            mutedBy.release(onEventLoop);
        }
    }

    boolean isDone() {
        return done != 0;
    }

    Payload payload() {
        return payload;
    }

    boolean isBatchable() {
        return batchable;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    TopicPublishInfo route() {
        return route;
    }

    // ---- auto-batching (see QueueDispatcher, BatchSend) ----

    /** The attempt joins a batch being written to {@code address}. */
    void joinBatch(String address, long attemptStart) {
        disarmWaitTimer();
        brokerAddress = address;
        attemptStartNanos = attemptStart;
        SendContext before = claimBefore(attempt);
        if (before != null) {
            producer.fireBefore(before);
        }
    }

    /**
     * The beforeSend context of attempt {@code number} for the one caller that claims it (null for
     * any other, and when there are no hooks): a timer expiring a waiting send and the send being let
     * go at the same moment must not both fire it.
     */
    private SendContext claimBefore(int number) {
        if (producer.hooks().isEmpty() || !BEFORE_FIRED.compareAndSet(this, number - 1, number)) {
            return null;
        }
        return context(number, 0, false, null, null);
    }

    /** Callback executor: the batch this attempt was part of was stored. */
    void batchSucceeded(SendResult result) {
        if (DONE.compareAndSet(this, 0, 1)) {
            long attemptNanos = producer.clock().nanoTime() - attemptStartNanos;
            completion(result, null, context(attempt, attemptNanos, true, result, null));
        }
    }

    /** Callback executor: the batch this attempt was part of failed; retry alone (or in another batch) or fail. */
    void batchFailed(MQException error, boolean retryable) {
        long now = producer.clock().nanoTime();
        if (retryable && attempt < maxAttempts && deadlineNanos - now > 0 && producer.isRunning() && done == 0) {
            producer.fireAfter(context(attempt, now - attemptStartNanos, false, null, error));
            producer.countRetry();
            sendAttempt();
        } else if (DONE.compareAndSet(this, 0, 1)) {
            completion(null, error, context(attempt, now - attemptStartNanos, true, null, error));
        }
    }

    /** Timer or batch: the deadline passed while the send waited for its queue; it fails alone. */
    void expireWhileWaiting(MQException error) {
        if (!DONE.compareAndSet(this, 0, 1)) {
            return;
        }
        SendContext before = claimBefore(attempt);
        SendContext outcome = context(attempt, 0, true, null, error);
        producer.runCallback(() -> {
            if (before != null) {
                producer.fireBefore(before);
            }
            completion(null, error, outcome);
        });
    }

    @Override
    String userTopic() {
        return payload.userTopic();
    }

    @Override
    void write() {
        begin(queue, route);
        SendContext before = claimBefore(attempt);
        if (before != null) {
            producer.fireBefore(before);
        }
        if (!hasMaster()) {
            return;
        }
        long now = before == null ? attemptStartNanos : producer.clock().nanoTime(); // hooks may have taken time
        if (deadlineNanos - now <= 0) {
            // Said here rather than by the transport: it says nothing about the broker, so no penalty.
            finish(null, new MQException(MQException.Reason.TIMEOUT, "the send deadline of "
                    + TimeUnit.NANOSECONDS.toMillis(deadlineNanos - startNanos) + " ms passed before attempt "
                    + attempt + " to broker " + queue.brokerName() + " was written"));
            return;
        }
        SendMessageHeader header = header(payload.wireTopic(), payload.sysFlag(), payload.flag(), payload.properties(),
                payload.batch());
        int code = requestCode(payload.batch());
        invoke(mode == SendMode.ONEWAY
                ? OutboundFrame.oneway(code, header, payload.body())
                : OutboundFrame.request(code, header, payload.body()), deadlineNanos);
    }

    private MessageQueue selectQueue() {
        MessageQueue chosen;
        try {
            chosen = selector.select(route.queues(), payload.first(), selectorArg);
        } catch (MQException e) {
            throw e;
        } catch (Throwable e) { // user code: an AssertionError must fail this send, not the producer
            throw new MQException(MQException.Reason.VALIDATION, "queue selector failed: " + e, e);
        }
        if (chosen == null || !route.queues().contains(chosen)) {
            throw MQException.validation("queue selector returned " + chosen + ", which is not a writable queue of topic '"
                    + payload.userTopic() + "'");
        }
        return chosen;
    }

    /** Event loop: the broker stored the message (or, for oneway, the frame was written). */
    @Override
    void stored(SendStatus status, RemotingCommand response) {
        finish(response == null ? null
                : SendResponse.result(status, response.extFields(), payload.userTopic(), queue, payload.messageIds()),
                null);
    }

    @Override
    void failed(MQException error, boolean retryable) {
        retryOrFail(error, retryable);
    }

    private void retryOrFail(MQException error, boolean retryable) {
        boolean retry = retryable && attempt < maxAttempts && deadlineNanos - producer.clock().nanoTime() > 0
                && producer.isRunning() && done == 0;
        if (!retry) {
            finish(null, error);
            return;
        }
        SendContext failed = context(attempt, producer.clock().nanoTime() - attemptStartNanos, false, null, error);
        producer.runCallback(() -> {
            releaseQueue(false);
            producer.fireAfter(failed);
            producer.countRetry();
            sendAttempt();
        });
    }

    /**
     * Fails the send before its next attempt began (no route, no queue). Hooks still see that
     * attempt, without a queue, so that metrics count the failure.
     */
    private void finishBeforeAttempt(MQException error) {
        if (!DONE.compareAndSet(this, 0, 1)) {
            return;
        }
        int number = attempt + 1;
        SendContext before = claimBefore(number);
        SendContext outcome = context(number, 0, true, null, error);
        producer.runCallback(() -> {
            if (before != null) {
                producer.fireBefore(before);
            }
            completion(null, error, outcome);
        });
    }

    private void finish(SendResult result, MQException error) {
        if (!DONE.compareAndSet(this, 0, 1)) {
            releaseQueue(true); // a timer finished the send while this attempt was on the wire
            return;
        }
        if (routeTimeout != null) {
            routeTimeout.cancel();
        }
        SendContext outcome = context(attempt, producer.clock().nanoTime() - attemptStartNanos, true, result, error);
        if (completeInline) {
            releaseQueue(true);
            completion(result, error, null);
            return;
        }
        producer.runCallback(() -> {
            releaseQueue(false);
            completion(result, error, outcome);
        });
    }

    /** The outcome reaches the caller: capacity released, hooks told, future completed. */
    private void completion(SendResult result, MQException error, SendContext outcome) {
        producer.release(payload);
        producer.fireAfter(outcome);
        if (future == null) {
            return;
        }
        if (error != null) {
            future.completeExceptionally(error);
        } else {
            future.complete(result);
        }
    }

    /** The hooks' view of this attempt; null when there are no hooks to show it to (the common case). */
    private SendContext context(int attemptNumber, long attemptNanos, boolean last, SendResult result,
                                Throwable error) {
        if (producer.hooks().isEmpty()) {
            return null;
        }
        return new SendContext(producer.group(), payload.userTopic(), mode, attemptNumber, payload.messageIds().size(),
                payload.userBytes(), queue, brokerAddress, attemptNanos, producer.clock().nanoTime() - startNanos, last,
                result, error);
    }
}
