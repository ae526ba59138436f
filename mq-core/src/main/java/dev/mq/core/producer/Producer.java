package dev.mq.core.producer;

import dev.mq.core.Message;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.SendResult;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Sends messages to RocketMQ. Thread-safe; create one per producer group with
 * {@link dev.mq.core.client.MQClientInstance#newProducer} and share it.
 *
 * <p>There is one send path. {@link #sendAsync} returns at once with a future (it may wait only for
 * in-flight capacity, under {@link BackpressurePolicy#BLOCK}); {@link #send} is that future joined
 * with the deadline; {@link #sendOneway} is {@code sendAsync} without a future. The deadline
 * ({@link ProducerConfig#sendTimeout()} unless given) starts at the call and covers route lookup,
 * backpressure waits and every retry.
 *
 * <p>Every failure is an {@link dev.mq.core.MQException} with a reason; invalid messages fail before
 * any I/O with {@code VALIDATION}; sends after {@link #close()} fail with {@code SHUTDOWN}.
 */
public interface Producer extends AutoCloseable {

    /** The producer group. */
    String group();

    /** Sends and waits for the broker's answer. */
    SendResult send(Message message);

    /** Sends and waits, with a deadline other than the configured send timeout. */
    SendResult send(Message message, Duration timeout);

    /**
     * Sends to the queue {@code selector} picks for {@code arg} and waits. Sends that pick the same
     * queue keep their call order; an orderly send is never retried onto another queue.
     */
    SendResult send(Message message, QueueSelector selector, @Nullable Object arg);

    SendResult send(Message message, QueueSelector selector, @Nullable Object arg, Duration timeout);

    /**
     * Sends messages of one topic as one SEND_BATCH_MESSAGE request and waits. The batch (bodies and
     * properties together) must fit the max message size; delayed messages cannot be batched.
     */
    SendResult send(Collection<Message> batch);

    SendResult send(Collection<Message> batch, Duration timeout);

    /** Sends without waiting for the answer: the future completes on the callback executor. */
    CompletableFuture<SendResult> sendAsync(Message message);

    CompletableFuture<SendResult> sendAsync(Message message, Duration timeout);

    CompletableFuture<SendResult> sendAsync(Message message, QueueSelector selector, @Nullable Object arg);

    CompletableFuture<SendResult> sendAsync(Message message, QueueSelector selector, @Nullable Object arg, Duration timeout);

    CompletableFuture<SendResult> sendAsync(Collection<Message> batch);

    CompletableFuture<SendResult> sendAsync(Collection<Message> batch, Duration timeout);

    /**
     * Sends without a future: returns once the send is under way (validated, admitted, and written
     * or waiting for its route), and the caller never learns the outcome. Under the hood it is an asynchronous send — it holds an in-flight
     * permit until the broker's answer arrives (so a fast caller meets backpressure, as with
     * {@link #sendAsync}, rather than overflowing a busy broker, which would drop the excess
     * silently), is retried on another broker like any unordered send (SYSTEM_BUSY, no connection),
     * within the send timeout, and may join an automatic batch. Its outcome goes to the
     * {@link SendHook}s (and so to metrics, with mode {@code oneway}); a failure after the last
     * attempt is also logged at WARN, at most once per 10 s with the count since the last warning.
     * {@link #close()} waits for unanswered oneway sends as for asynchronous ones.
     *
     * @throws dev.mq.core.MQException at once: VALIDATION for an invalid message, SHUTDOWN on a
     *         closed producer, BACKPRESSURE (under {@link BackpressurePolicy#FAIL}) or TIMEOUT
     *         (under {@code BLOCK}, when no permit came within the send timeout)
     */
    void sendOneway(Message message);

    /**
     * Oneway and orderly: returns at once, and the message is written in its turn, after the sends
     * to the same queue issued before it have had their outcome; the sends after it wait for its
     * answer. Like any orderly send it is never retried onto another queue.
     */
    void sendOneway(Message message, QueueSelector selector, @Nullable Object arg);

    /**
     * Sends a transactional message in one call: the half message is stored (invisible to consumers;
     * retried on another broker only until it is stored), then {@code localTransaction} runs on this
     * thread, then its answer is sent to the broker that holds the half (COMMIT, ROLLBACK, or UNKNOWN,
     * which leaves the decision to the group's {@link TransactionChecker}). Half messages take no
     * delay and are never batched.
     *
     * <p>The end is written oneway: the call returns once it is handed to the transport, and an end
     * that never reaches the broker is settled by a check-back, as is UNKNOWN.
     *
     * @throws dev.mq.core.MQException VALIDATION before any I/O for a null local transaction, a
     *         delayed message or a closed producer; the send's reasons if the half message cannot be
     *         stored; BROKER_REJECTED if it was stored with a flush or replica timeout (status 10, 11
     *         or 12: it is rolled back at once and the local transaction does not run); and
     *         {@link dev.mq.core.MQException.Reason#LOCAL_TRANSACTION} when the local transaction
     *         throws, naming the transaction id with the exception as its cause (an UNKNOWN end is
     *         written: the group's checker decides)
     */
    TransactionResult sendInTransaction(Message message, LocalTransaction localTransaction);

    /**
     * Stores the half message of a transaction whose end the caller sends later with
     * {@link Transaction#commit()} or {@link Transaction#rollback()}. The future completes once the
     * half message is stored, on the callback executor. It fails as {@link #sendInTransaction} throws
     * (VALIDATION for a delayed message or a closed producer, BROKER_REJECTED for a half stored with a
     * flush or replica timeout, which is rolled back at once), with the {@code MQException} itself.
     */
    CompletableFuture<Transaction> beginTransaction(Message message);

    /**
     * Sends {@code message} as a request and completes with its reply: the message carries a fresh
     * correlation id, this client's id (where the broker pushes the reply) and {@code timeout} as its
     * time to live, and the future completes, on the callback executor, with the reply a responder
     * sent ({@link #reply}, or Apache's reply utility) — from any broker, on any connection of this
     * client. No consumer is needed, nor the reply topic's route; the responder may start after the
     * request was sent, as long as it replies within {@code timeout}.
     *
     * <p>One deadline, {@code timeout} from this call, covers the route lookup, the send and the wait
     * for the reply; past it the future fails with {@code TIMEOUT} and a reply that comes later is
     * dropped (logged at debug level). Requests waiting for their reply count against
     * {@link ProducerConfig#maxInFlightRequests()}, under the producer's {@link BackpressurePolicy}
     * (this call may wait for room under {@code BLOCK}, within the deadline). {@link #close()} fails
     * the requests still waiting with {@code SHUTDOWN}.
     *
     * @return the reply; fails with {@code VALIDATION} (before any I/O) for a null or invalid message
     *         or a null, zero or negative timeout, {@code SHUTDOWN} on a closed producer, the send's
     *         reasons if the request cannot be sent, {@code TIMEOUT} at the deadline
     */
    CompletableFuture<ReceivedMessage> request(Message message, Duration timeout);

    /**
     * As {@link #request(Message, Duration)}, sent to the queue {@code selector} picks for {@code arg}
     * (requests that pick the same queue are stored in call order).
     */
    CompletableFuture<ReceivedMessage> request(Message message, QueueSelector selector, @Nullable Object arg,
                                               Duration timeout);

    /**
     * Replies to {@code request} (a message a consumer received with {@link ReceivedMessage#isRequest()}
     * true) with {@code body}: see {@link #reply(ReceivedMessage, Message)}.
     */
    CompletableFuture<SendResult> reply(ReceivedMessage request, byte[] body);

    /**
     * Replies to {@code request} with {@code reply}'s body, tags, keys and properties. The reply goes
     * to the reply topic of the request's cluster ({@code <cluster>_REPLY_TOPIC}; {@code reply}'s own
     * topic is not used) with the request's correlation id, requester and time to live, as
     * SEND_REPLY_MESSAGE_V2: the broker pushes it to the requester at once and stores it. The future
     * completes when the broker has answered; a broker that could not reach the requester answers
     * with an error (the send's retries apply, within {@link ProducerConfig#sendTimeout()}).
     *
     * @return the send's outcome; fails with {@code VALIDATION} (before any I/O) if {@code request} is
     *         not a request, names no cluster, or {@code reply} is invalid or delayed
     */
    CompletableFuture<SendResult> reply(ReceivedMessage request, Message reply);

    /** Requests currently in flight (admitted under the cap and not yet answered); see {@link #stats()}. */
    int inFlightRequests();

    /** The producer's live figures (in flight, retries, automatic batches), for metrics and health. */
    ProducerStats stats();

    /** Whether the producer takes sends. */
    boolean isRunning();

    /**
     * Stops taking sends, waits for in-flight sends up to the shutdown timeout, then gives up on the
     * rest (their futures complete when the client closes). Idempotent.
     */
    @Override
    void close();
}
