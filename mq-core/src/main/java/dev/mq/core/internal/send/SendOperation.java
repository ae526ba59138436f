package dev.mq.core.internal.send;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.SendResponse;
import dev.mq.core.internal.route.RouteWaiter;
import dev.mq.core.internal.route.TopicPublishInfo;
import dev.mq.core.internal.transport.CommandHeader;
import dev.mq.core.internal.transport.HeaderWriter;
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
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * One send from call to outcome: route, queue choice, attempts and retries, all inside one
 * deadline. Responses arrive on the event loop; the outcome is handed to the callback executor
 * (hooks, the caller's future), so no user code ever runs on the event loop.
 *
 * <p>A send goes through explicit {@link Stage stages}, and whatever ends it goes through
 * {@link #complete}, once. It has one timer at a time, always set to its deadline, so a timer that
 * fires means "the deadline passed" and what that means follows the stage: no route yet, still
 * waiting for its queue, or nothing (on the wire the transport fails the request at the deadline).
 * The send is itself that timer's task, the route waiter, — as a {@link BrokerAttempt} — the
 * transport's callback, and the task that hands its outcome to the callback executor, so that a
 * send costs no objects besides itself.
 */
final class SendOperation extends BrokerAttempt implements RouteWaiter, TimerTask, Runnable, CommandHeader {

    /** Where a send is; it only moves forward, except that a retry goes from ON_WIRE back to ROUTE. */
    enum Stage {
        /** Waiting for the topic's route, or choosing a queue from it. */
        ROUTE,
        /** Waiting in its queue's {@link QueueDispatcher} behind the request on the wire. */
        WAITING_FOR_QUEUE,
        /** An attempt is being written or waits for its answer (alone or in a batch). */
        ON_WIRE,
        /** The outcome is decided; nothing changes it any more. */
        DONE
    }

    private static final AtomicReferenceFieldUpdater<SendOperation, Stage> STAGE =
            AtomicReferenceFieldUpdater.newUpdater(SendOperation.class, Stage.class, "stage");
    private static final AtomicIntegerFieldUpdater<SendOperation> BEFORE_FIRED =
            AtomicIntegerFieldUpdater.newUpdater(SendOperation.class, "beforeFired");

    private final Payload payload;
    private final SendMode mode;
    private final @Nullable QueueSelector selector;
    private final @Nullable Object selectorArg;
    private final long startNanos;
    private final long deadlineNanos;
    private final int maxAttempts;
    /** The caller's future; null for a oneway send, whose outcome only the hooks (and a WARN on failure) see. */
    private final @Nullable CompletableFuture<SendResult> future;
    private final boolean completeInline;
    /** Whether this send may travel in an automatic batch (unordered, or with the orderly sends next to it). */
    private final boolean batchable;

    @SuppressWarnings("NullAway.Init") // set when the route is known, before any attempt reads it
    private TopicPublishInfo route;
    private int attempt;
    /**
     * The deadline, while the send waits for its route or its queue. For a queue it is set under the
     * queue dispatcher's lock before the send can be seen there, so whoever lets it leave cancels it.
     */
    private @Nullable Timeout timer;
    /** The dispatcher whose queue this send's attempt mutes until its outcome; null when none does. */
    private @Nullable QueueDispatcher dispatcher;
    private volatile Stage stage = Stage.ROUTE;
    /** The attempts whose beforeSend has fired: a timer and a send leaving racing fire it once between them. */
    private volatile int beforeFired;
    /** The outcome on its way to the callback executor ({@link #handOver}); set once, by the stage's DONE winner. */
    private @Nullable SendResult handedResult;
    private @Nullable MQException handedError;
    private @Nullable SendContext handedOutcome;
    /** The header's born timestamp of the attempt being written. */
    private long bornTimestamp;

    SendOperation(DefaultProducer producer, Payload payload, SendMode mode, @Nullable QueueSelector selector,
                  @Nullable Object selectorArg, long startNanos, long deadlineNanos,
                  @Nullable CompletableFuture<SendResult> future) {
        super(producer);
        this.payload = payload;
        this.mode = mode;
        this.selector = selector;
        this.selectorArg = selectorArg;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
        // Orderly sends are never retried: a retry to another queue would land out of order.
        this.maxAttempts = selector != null ? 1 : 1 + producer.config().retries();
        this.future = future;
        // Without hooks no user code runs on completion when the caller owns the future (sync) or there is
        // none (oneway): complete where the outcome arrives, without a hop to the callback executor.
        this.completeInline = mode != SendMode.ASYNC && producer.hooks().isEmpty();
        QueueDispatchers batching = producer.batching();
        // A oneway send is an async send nobody waits for: it may share a batch as well.
        this.batchable = (mode == SendMode.ASYNC || mode == SendMode.ONEWAY) && batching != null
                && batching.policy().accepts(payload);
    }

    // ---- ROUTE ----

    /** Caller thread: starts with a cached route, or waits for the one lookup of the topic. */
    void start() {
        TopicPublishInfo cached = producer.routes().cached(payload.wireTopic());
        if (cached != null) {
            routeReady(cached);
            return;
        }
        armTimer();
        producer.routes().await(payload.wireTopic(), this);
    }

    /** The send could not even start: complete it with {@code error} and release what it holds. */
    void abort(MQException error) {
        complete(null, error, null, false);
    }

    @Override
    public void routeReady(TopicPublishInfo found) {
        if (stage == Stage.DONE) {
            return;
        }
        disarmTimer();
        this.route = found;
        sendAttempt();
    }

    @Override
    public void routeFailed(MQException error) {
        disarmTimer();
        complete(null, error, null, false);
    }

    /** Caller thread or callback executor, in stage ROUTE: chooses a queue and writes one attempt. */
    private void sendAttempt() {
        String lastBroker = queue == null ? null : queue.brokerName();
        try {
            queue = selector != null ? selectQueue(selector) : route.select(lastBroker, producer.brokerAvailable());
        } catch (Throwable e) { // an Error too: the send must complete and return its capacity
            complete(null, e instanceof MQException mq ? mq : unexpected(e), null, false);
            return;
        }
        attempt++;
        QueueDispatchers batching = producer.batching();
        if (batchable && selector == null && batching != null) { // batchable: batching is on
            batching.dispatch(queue, this);
            return;
        }
        // Oneway orderly sends take their turn too (else they would overtake the waiting sends of their
        // key); like any send, they release the queue when their answer arrives.
        if (selector != null) {
            producer.orderly().dispatch(queue, this);
            return;
        }
        writeSafely();
    }

    private MessageQueue selectQueue(QueueSelector selector) {
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

    // ---- WAITING_FOR_QUEUE ----

    /**
     * Under the lock of the queue dispatcher this send is about to wait in: with {@code withTimer},
     * the deadline is armed (before the send can leave, which cancels it).
     */
    void waitForQueue(boolean withTimer) {
        if (enter(Stage.WAITING_FOR_QUEUE) && withTimer) {
            armTimer();
        }
    }

    /** Under the dispatcher's lock: this send leaves alone and mutes {@code mutedBy}'s queue until its outcome. */
    void holdQueue(QueueDispatcher mutedBy) {
        dispatcher = mutedBy;
    }

    /** Its queue's dispatcher lets this send leave alone (see {@link #holdQueue}): it is written. */
    void leave() {
        disarmTimer();
        writeSafely();
    }

    /** Timer or batch: the deadline passed while the send waited for its queue; it fails alone with {@code error}. */
    void expireWhileWaiting(MQException error) {
        complete(null, error, Stage.WAITING_FOR_QUEUE, false);
    }

    /** The error of this send when its deadline passes while it waits for its queue. */
    private MQException waitedPastDeadline() {
        return selector != null
                ? new MQException(MQException.Reason.TIMEOUT, "orderly send to " + queue + " waited behind earlier "
                        + "sends to the same queue past its deadline")
                : QueueDispatcher.waitedPastDeadline(queue);
    }

    // ---- ON_WIRE ----

    @Override
    String userTopic() {
        return payload.userTopic();
    }

    @Override
    void write() {
        if (!enter(Stage.ON_WIRE)) {
            releaseQueue(false); // it expired while waiting: the next send may go
            return;
        }
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
            complete(null, new MQException(MQException.Reason.TIMEOUT, "the send deadline of "
                    + TimeUnit.NANOSECONDS.toMillis(deadlineNanos - startNanos) + " ms passed before attempt "
                    + attempt + " to broker " + queue.brokerName() + " was written"), null, false);
            return;
        }
        bornTimestamp = producer.clock().millis();
        int code = payload.reply() ? RequestCode.SEND_REPLY_MESSAGE_V2 : requestCode(payload.batch());
        // Oneway sends too expect an answer: a broker whose send queue is full drops a request flagged
        // oneway without a word, while it answers one that expects an answer (SYSTEM_BUSY, retried), and
        // the in-flight permit, held until the answer, keeps a fast caller from overflowing that queue.
        // The send is the frame's header (writeTo): the transport encodes the frame before invoke returns.
        invoke(OutboundFrame.request(code, this, payload.body()), deadlineNanos);
    }

    /**
     * The SEND_MESSAGE_V2 header of the attempt being written: the send is its own header rather than
     * building a {@link SendMessageHeader} per attempt (one object less per send). Only read while
     * {@link #write} hands the frame to the transport, which encodes it at once.
     */
    @Override
    public void writeTo(HeaderWriter w) {
        SendMessageHeader.write(w, producer.wireGroup(), payload.wireTopic(), queue.queueId(), payload.sysFlag(),
                bornTimestamp, payload.flag(), payload.properties(), payload.batch(), queue.brokerName());
    }

    /** The attempt joins a batch being written to {@code address}. */
    void joinBatch(@Nullable String address, long attemptStart) {
        disarmTimer();
        enter(Stage.ON_WIRE);
        brokerAddress = address;
        attemptStartNanos = attemptStart;
        SendContext before = claimBefore(attempt);
        if (before != null) {
            producer.fireBefore(before);
        }
    }

    /** Event loop: the broker stored the message. */
    @Override
    void stored(SendStatus status, RemotingCommand response) {
        // Nobody would see the result of a oneway send without hooks: skip building it.
        complete(future == null && producer.hooks().isEmpty() ? null
                : SendResponse.result(status, response.extFields(), response.longField(SendResponse.QUEUE_OFFSET, -1),
                        payload.userTopic(), queue, payload.messageIds()),
                null, null, false);
    }

    @Override
    void failed(MQException error, boolean retryable) {
        attemptFailed(error, retryable, false);
    }

    /** Callback executor: the batch this attempt was part of was stored. */
    void batchSucceeded(SendResult result) {
        complete(result, null, null, true);
    }

    /** Callback executor: the batch this attempt was part of failed; retry alone (or in another batch) or fail. */
    void batchFailed(MQException error, boolean retryable) {
        attemptFailed(error, retryable, true);
    }

    /**
     * The attempt failed: another one follows if the error allows it and time, attempts and the
     * producer remain; otherwise the send fails with {@code error}.
     */
    private void attemptFailed(MQException error, boolean retryable, boolean onCallbackExecutor) {
        if (retryable && attempt < maxAttempts && deadlineNanos - producer.clock().nanoTime() > 0
                && producer.isRunning() && stage != Stage.DONE) {
            SendContext failed = context(attempt, true, false, null, error);
            if (onCallbackExecutor) {
                retry(failed);
            } else {
                producer.runCallback(() -> retry(failed));
            }
            return;
        }
        complete(null, error, null, onCallbackExecutor);
    }

    /** Callback executor: the failed attempt is reported, its queue released, and the next one begins. */
    private void retry(@Nullable SendContext failed) {
        releaseQueue(false);
        producer.fireAfter(failed);
        producer.countRetry();
        if (enter(Stage.ROUTE)) {
            sendAttempt();
        }
    }

    // ---- DONE ----

    /**
     * Timer: the deadline passed. While the send waits for its route or its queue, it fails with
     * TIMEOUT (or SHUTDOWN, when the client closed the timer); later, the transport has the deadline.
     */
    @Override
    public void run(Timeout timeout) {
        Stage now = stage;
        if (now == Stage.ROUTE) {
            complete(null, producer.isRunning()
                    ? new MQException(MQException.Reason.TIMEOUT, "the route of topic '" + payload.userTopic()
                            + "' was not available within the send deadline of "
                            + TimeUnit.NANOSECONDS.toMillis(deadlineNanos - startNanos) + " ms")
                    : new MQException(MQException.Reason.SHUTDOWN, "the client closed while the send to '"
                            + payload.userTopic() + "' waited for its route"), Stage.ROUTE, false);
        } else if (now == Stage.WAITING_FOR_QUEUE) {
            expireWhileWaiting(waitedPastDeadline());
        }
    }

    /**
     * Ends the send with {@code result} or {@code error}, once. A timer passes the stage it was set
     * for ({@code onlyFrom}) and ends the send only if it is still there; anyone else ends it from
     * whatever stage it is in, and, if it was already ended, still releases its queue. Hooks see the
     * attempt that was on the wire, or — when it ends before one was written — the attempt that
     * would have been (its beforeSend fired here, so that metrics count it).
     */
    private void complete(@Nullable SendResult result, @Nullable MQException error, @Nullable Stage onlyFrom,
                          boolean onCallbackExecutor) {
        Stage was;
        do {
            was = stage;
            if (was == Stage.DONE || (onlyFrom != null && was != onlyFrom)) {
                if (onlyFrom == null) {
                    releaseQueue(true); // a timer ended the send while this attempt was on the wire
                }
                return;
            }
        } while (!STAGE.compareAndSet(this, was, Stage.DONE));
        disarmTimer();
        if (was == Stage.ON_WIRE) {
            SendContext outcome = context(attempt, true, true, result, error);
            if (onCallbackExecutor) {
                completion(result, error, outcome);
            } else if (completeInline) {
                releaseQueue(true);
                completion(result, error, null);
            } else {
                handOver(result, error, outcome);
            }
            return;
        }
        int number = was == Stage.ROUTE ? attempt + 1 : attempt;
        SendContext before = claimBefore(number);
        SendContext outcome = context(number, false, true, null, error);
        producer.runCallback(() -> {
            if (before != null) {
                producer.fireBefore(before);
            }
            completion(null, error, outcome);
        });
    }

    /**
     * Event loop: the outcome of the attempt on the wire goes to the callback executor, with this send
     * as the task ({@link #run()}) rather than a lambda holding the outcome: one object less per send,
     * the most frequent path of all (asynchronous sends, and any send with hooks).
     */
    private void handOver(@Nullable SendResult result, @Nullable MQException error, @Nullable SendContext outcome) {
        handedResult = result;
        handedError = error;
        handedOutcome = outcome;
        producer.runCallback(this); // the executor's hand-off publishes the three fields
    }

    /** Callback executor: the outcome handed over by {@link #handOver} reaches the caller. */
    @Override
    public void run() {
        releaseQueue(false);
        completion(handedResult, handedError, handedOutcome);
    }

    /** The outcome reaches the caller: capacity released, hooks told, future completed. */
    private void completion(@Nullable SendResult result, @Nullable MQException error, @Nullable SendContext outcome) {
        producer.release(payload);
        producer.fireAfter(outcome);
        if (future == null) { // oneway: nobody to tell but the hooks and, for a failure, the log
            if (error != null) {
                producer.onewayFailed(payload.userTopic(), error);
            }
            return;
        }
        if (error != null) {
            future.completeExceptionally(error);
        } else {
            future.complete(result);
        }
    }

    // ---- the stage, the timer, the queue ----

    /** Moves to {@code next} unless the send is done (nothing leaves DONE). */
    private boolean enter(Stage next) {
        for (;;) {
            Stage now = stage;
            if (now == Stage.DONE) {
                return false;
            }
            if (now == next || STAGE.compareAndSet(this, now, next)) {
                return true;
            }
        }
    }

    private void armTimer() {
        timer = producer.remoting().schedule(this, Math.max(deadlineNanos - producer.clock().nanoTime(), 0),
                TimeUnit.NANOSECONDS);
    }

    /** The send moved on: its timer would only hold it (and its body) until the deadline. */
    private void disarmTimer() {
        Timeout armed = timer;
        if (armed != null) {
            timer = null;
            armed.cancel();
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
        return stage == Stage.DONE;
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

    // ---- hooks ----

    /**
     * The beforeSend context of attempt {@code number} for the one caller that claims it (null for
     * any other, and when there are no hooks): a timer expiring a waiting send and the send being let
     * go at the same moment must not both fire it.
     */
    private @Nullable SendContext claimBefore(int number) {
        if (producer.hooks().isEmpty() || !BEFORE_FIRED.compareAndSet(this, number - 1, number)) {
            return null;
        }
        return context(number, false, false, null, null);
    }

    /**
     * The hooks' view of attempt {@code attemptNumber} ({@code onWire}: it was written, and took
     * until now); null when there are no hooks to show it to (the common case: no clock read).
     */
    private @Nullable SendContext context(int attemptNumber, boolean onWire, boolean last, @Nullable SendResult result,
                                          @Nullable Throwable error) {
        if (producer.hooks().isEmpty()) {
            return null;
        }
        long now = producer.clock().nanoTime();
        return new SendContext(producer.group(), payload.userTopic(), mode, attemptNumber, payload.messageIds().size(),
                payload.userBytes(), queue, brokerAddress, onWire ? now - attemptStartNanos : 0, now - startNanos, last,
                result, error);
    }
}
