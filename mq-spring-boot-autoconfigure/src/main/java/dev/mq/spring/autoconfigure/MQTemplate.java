package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import dev.mq.core.SendResult;
import dev.mq.core.producer.LocalTransaction;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.QueueSelector;
import dev.mq.core.producer.QueueSelectors;
import dev.mq.core.producer.Transaction;
import dev.mq.core.producer.TransactionResult;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * Sends to RocketMQ from Spring applications: sync, async ({@link CompletableFuture}) and oneway,
 * each also orderly (by hash key), delayed ({@link Duration}) or scheduled ({@link Instant}), and in
 * batches.
 *
 * <p>A destination is {@code "topic"} or {@code "topic:tags"}. A payload is sent as is when it is a
 * {@code byte[]}, as UTF-8 when it is a {@code String}, and as JSON otherwise (through
 * {@link MQPayloadConverter}; the content type goes into the {@value MQPayloadConverter#CONTENT_TYPE_PROPERTY}
 * property). A Spring {@link Message}'s headers are mapped by an {@link MQHeaderMapper}; the default,
 * {@link DefaultMQHeaderMapper}, makes {@value #KEYS} (a string of space-separated keys or a collection),
 * {@value #TAGS} and {@value #DELAY} (a delay level) the message's keys, tag and delay level and every
 * other header a user property — nothing is dropped, except Spring's generated {@code id} and
 * {@code timestamp}. Conflicting or reserved values fail with {@code VALIDATION}. A batch may mix
 * payloads and Spring messages.
 *
 * <p>With observation on ({@code mq.producer.observation-enabled}), each call is one observation, and
 * its trace context (e.g. {@code traceparent}) goes into the properties of the message, or of every
 * message of a batch.
 *
 * <p>Transactional messages: {@link #sendInTransaction(String, Object, LocalTransaction)} runs a local
 * transaction between the half message and its end; {@link #sendInTransaction(String, Object)} ends the
 * message with the caller's Spring transaction ({@code @Transactional}) and, with the transaction log
 * on ({@code mq.producer.transaction.log.enabled}), records the transaction id in that same database
 * transaction, so that the log answers the broker's check-backs when the end never arrives.
 *
 * <p>Request-reply: {@link #sendAndReceive(String, Object, Class)} and
 * {@link #asyncSendAndReceive(String, Object, Class, Duration)} send a request and convert the reply
 * (an {@code @MQListener} method's return value, or any responder's reply) with the payload converter.
 *
 * <p>Every failure is an {@link MQException}; see {@link Producer} for deadlines and retries.
 */
public class MQTemplate {

    /** Header with the message keys (space-separated string or collection). */
    public static final String KEYS = dev.mq.spring.listener.MQHeaders.KEYS;
    /** Header with the message tag. */
    public static final String TAGS = dev.mq.spring.listener.MQHeaders.TAGS;
    /** Header with the broker delay level (1..18 on a default broker). */
    public static final String DELAY = "DELAY";

    /** How long {@code sendAndReceive} waits for a reply when no timeout is given: 3 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private static final QueueSelector BY_HASH = QueueSelectors.hash();

    private final Producer producer;
    private final MQPayloadConverter converter;
    private final MQHeaderMapper headerMapper;
    private final SendObserver observer;
    private final @Nullable TransactionLog transactionLog;
    private volatile RequestReplyMetrics requestMetrics = RequestReplyMetrics.NONE;

    /** A template whose Spring message headers are mapped by {@link DefaultMQHeaderMapper}. */
    public MQTemplate(Producer producer, MQPayloadConverter converter) {
        this(producer, converter, new DefaultMQHeaderMapper());
    }

    /** A template whose Spring message headers are mapped by {@code headerMapper}. */
    public MQTemplate(Producer producer, MQPayloadConverter converter, MQHeaderMapper headerMapper) {
        this(producer, converter, headerMapper, SendObserver.NONE);
    }

    MQTemplate(Producer producer, MQPayloadConverter converter, MQHeaderMapper headerMapper, SendObserver observer) {
        this(producer, converter, headerMapper, observer, null);
    }

    MQTemplate(Producer producer, MQPayloadConverter converter, MQHeaderMapper headerMapper, SendObserver observer,
               @Nullable TransactionLog transactionLog) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.converter = Objects.requireNonNull(converter, "converter");
        this.headerMapper = Objects.requireNonNull(headerMapper, "headerMapper");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.transactionLog = transactionLog;
    }

    /** The producer behind this template. */
    public Producer getProducer() {
        return producer;
    }

    // ---- sync ----

    public SendResult syncSend(String destination, Object payload) {
        return sync(SendRequest.plain(destination, payload, null));
    }

    public SendResult syncSend(String destination, Object payload, Duration timeout) {
        return sync(SendRequest.plain(destination, payload, timeout));
    }

    public SendResult syncSend(String destination, Message<?> message) {
        return sync(SendRequest.plain(destination, message, null));
    }

    public SendResult syncSend(String destination, Message<?> message, Duration timeout) {
        return sync(SendRequest.plain(destination, message, timeout));
    }

    /** Same hash key, same queue, stored in call order. */
    public SendResult syncSendOrderly(String destination, Object payload, String hashKey) {
        return sync(SendRequest.orderly(destination, payload, hashKey, null));
    }

    public SendResult syncSendOrderly(String destination, Object payload, String hashKey, Duration timeout) {
        return sync(SendRequest.orderly(destination, payload, hashKey, timeout));
    }

    /** Delivered to consumers after {@code delay} (RocketMQ 5 timer). */
    public SendResult syncSendDelayed(String destination, Object payload, Duration delay) {
        return sync(SendRequest.delayed(destination, payload, delay));
    }

    /** Delivered to consumers at {@code deliverAt} (RocketMQ 5 timer). */
    public SendResult syncSendAt(String destination, Object payload, Instant deliverAt) {
        return sync(SendRequest.scheduled(destination, payload, deliverAt));
    }

    /** Sends the payloads as one batch (one request); they must fit the max message size together. */
    public SendResult syncSend(String destination, Collection<?> payloads) {
        return sync(SendRequest.batch(destination, payloads, null));
    }

    public SendResult syncSend(String destination, Collection<?> payloads, @Nullable Duration timeout) {
        return sync(SendRequest.batch(destination, payloads, timeout));
    }

    // ---- async: bad arguments fail the returned future, like every other failure ----

    public CompletableFuture<SendResult> asyncSend(String destination, Object payload) {
        return async(SendRequest.plain(destination, payload, null));
    }

    public CompletableFuture<SendResult> asyncSend(String destination, Object payload, Duration timeout) {
        return async(SendRequest.plain(destination, payload, timeout));
    }

    public CompletableFuture<SendResult> asyncSend(String destination, Message<?> message) {
        return async(SendRequest.plain(destination, message, null));
    }

    public CompletableFuture<SendResult> asyncSend(String destination, Message<?> message, Duration timeout) {
        return async(SendRequest.plain(destination, message, timeout));
    }

    public CompletableFuture<SendResult> asyncSendOrderly(String destination, Object payload, String hashKey) {
        return async(SendRequest.orderly(destination, payload, hashKey, null));
    }

    public CompletableFuture<SendResult> asyncSendOrderly(String destination, Object payload, String hashKey,
                                                          Duration timeout) {
        return async(SendRequest.orderly(destination, payload, hashKey, timeout));
    }

    public CompletableFuture<SendResult> asyncSendDelayed(String destination, Object payload, Duration delay) {
        return async(SendRequest.delayed(destination, payload, delay));
    }

    public CompletableFuture<SendResult> asyncSendAt(String destination, Object payload, Instant deliverAt) {
        return async(SendRequest.scheduled(destination, payload, deliverAt));
    }

    public CompletableFuture<SendResult> asyncSend(String destination, Collection<?> payloads) {
        return async(SendRequest.batch(destination, payloads, null));
    }

    public CompletableFuture<SendResult> asyncSend(String destination, Collection<?> payloads,
                                                   @Nullable Duration timeout) {
        return async(SendRequest.batch(destination, payloads, timeout));
    }

    // ---- oneway ----

    /**
     * Sends without a future: returns once the send is under way; the broker still answers it (see
     * {@code Producer.sendOneway}: it holds an in-flight permit until then and is retried like an async
     * send), and its outcome goes only to the send metrics and, for a failure, a rate-limited WARN.
     * Invalid input, a closed producer and backpressure still throw here.
     */
    public void sendOneWay(String destination, Object payload) {
        doSend(SendRequest.plain(destination, payload, null), Mode.ONEWAY);
    }

    public void sendOneWay(String destination, Message<?> message) {
        doSend(SendRequest.plain(destination, message, null), Mode.ONEWAY);
    }

    /**
     * Oneway, in its turn among the orderly sends of {@code hashKey}: returns at once, and is written
     * after the earlier sends of that key have had their outcome (see {@code Producer.sendOneway}).
     */
    public void sendOneWayOrderly(String destination, Object payload, String hashKey) {
        doSend(SendRequest.orderly(destination, payload, hashKey, null), Mode.ONEWAY);
    }

    public void sendOneWayDelayed(String destination, Object payload, Duration delay) {
        doSend(SendRequest.delayed(destination, payload, delay), Mode.ONEWAY);
    }

    public void sendOneWayAt(String destination, Object payload, Instant deliverAt) {
        doSend(SendRequest.scheduled(destination, payload, deliverAt), Mode.ONEWAY);
    }

    // ---- request-reply ----

    /**
     * Sends {@code payload} as a request and waits for the reply, converted to {@code type}, up to
     * {@link #DEFAULT_REQUEST_TIMEOUT}. See {@link #asyncSendAndReceive(String, Object, Class, Duration)}.
     */
    public <R> R sendAndReceive(String destination, Object payload, Class<R> type) {
        return await(asyncSendAndReceive(destination, payload, type, DEFAULT_REQUEST_TIMEOUT));
    }

    /** Sends a request and waits for the reply, converted to {@code type}, up to {@code timeout}. */
    public <R> R sendAndReceive(String destination, Object payload, Class<R> type, Duration timeout) {
        return await(asyncSendAndReceive(destination, payload, type, timeout));
    }

    /** Sends a request and waits for the reply, converted to the generic {@code type}, up to {@link #DEFAULT_REQUEST_TIMEOUT}. */
    public <R> R sendAndReceive(String destination, Object payload, ParameterizedTypeReference<R> type) {
        return await(asyncSendAndReceive(destination, payload, type, DEFAULT_REQUEST_TIMEOUT));
    }

    /** Sends a request and waits for the reply, converted to the generic {@code type}, up to {@code timeout}. */
    public <R> R sendAndReceive(String destination, Object payload, ParameterizedTypeReference<R> type,
                                Duration timeout) {
        return await(asyncSendAndReceive(destination, payload, type, timeout));
    }

    /** As {@link #asyncSendAndReceive(String, Object, Class, Duration)} with {@link #DEFAULT_REQUEST_TIMEOUT}. */
    public <R> CompletableFuture<R> asyncSendAndReceive(String destination, Object payload, Class<R> type) {
        return asyncSendAndReceive(destination, payload, type, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Sends {@code payload} (converted as for {@link #syncSend(String, Object)}; a Spring {@link Message}'s
     * headers mapped) as a request ({@link Producer#request}) and completes with the reply's body
     * converted to {@code type} by the template's {@link MQPayloadConverter} (the reply's content type
     * property decides, as for a listener's payload). No thread waits: the future completes on the
     * client's callback executor. A responder is an {@code @MQListener} method returning a value, or
     * any client replying with {@code Producer.reply} or Apache's reply utility.
     *
     * @param timeout one deadline from this call over the send and the wait for the reply
     * @return the converted reply; fails with {@code VALIDATION} for bad arguments (before any I/O),
     *         {@code TIMEOUT} when no reply came in time, or the send's failure
     */
    public <R> CompletableFuture<R> asyncSendAndReceive(String destination, Object payload, Class<R> type,
                                                         Duration timeout) {
        return request(destination, payload, type, timeout);
    }

    /** As {@link #asyncSendAndReceive(String, Object, ParameterizedTypeReference, Duration)} with {@link #DEFAULT_REQUEST_TIMEOUT}. */
    public <R> CompletableFuture<R> asyncSendAndReceive(String destination, Object payload,
                                                         ParameterizedTypeReference<R> type) {
        return asyncSendAndReceive(destination, payload, type, DEFAULT_REQUEST_TIMEOUT);
    }

    /** As {@link #asyncSendAndReceive(String, Object, Class, Duration)}, the reply converted to a generic type. */
    public <R> CompletableFuture<R> asyncSendAndReceive(String destination, Object payload,
                                                         ParameterizedTypeReference<R> type, Duration timeout) {
        return request(destination, payload, type == null ? null : type.getType(), timeout);
    }

    /** Where request metrics go; the auto-configuration sets them when Micrometer is there. */
    void requestMetrics(RequestReplyMetrics metrics) {
        this.requestMetrics = Objects.requireNonNull(metrics, "metrics");
    }

    @SuppressWarnings("unchecked")
    private <R> CompletableFuture<R> request(@Nullable String destination, @Nullable Object payload,
                                             @Nullable Type type, @Nullable Duration timeout) {
        dev.mq.core.Message message;
        try {
            if (type == null) {
                throw MQException.validation("reply type is null: say what the reply converts to (e.g. String.class)");
            }
            Destination checked = SendRequest.plain(destination, payload, timeout).validate();
            message = toMessage(checked, payload, null, null, Map.of());
        } catch (MQException e) {
            return CompletableFuture.failedFuture(e);
        }
        RequestReplyMetrics metrics = requestMetrics;
        long start = System.nanoTime();
        CompletableFuture<dev.mq.core.ReceivedMessage> reply = producer.request(message, timeout);
        return reply.whenComplete((r, error) -> metrics.request(message.topic(), producer.group(),
                Duration.ofNanos(System.nanoTime() - start), unwrap(error)))
                .thenApply(r -> (R) converter.fromBody(r.body(), r.property(MQPayloadConverter.CONTENT_TYPE_PROPERTY),
                        type));
    }

    private static @Nullable Throwable unwrap(@Nullable Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Waits for a request's reply; its own deadline ends the wait, so this adds none. */
    private static <R> R await(CompletableFuture<R> reply) {
        try {
            return reply.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new MQException(MQException.Reason.CONNECTION, "request failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MQException(MQException.Reason.SHUTDOWN, "interrupted while waiting for the reply", e);
        }
    }

    // ---- transactional ----

    /**
     * Sends a transactional message in one call: the half message is stored (invisible to consumers),
     * then {@code localTransaction} runs on this thread, then its answer ends the message — COMMIT
     * delivers it, ROLLBACK discards it, UNKNOWN leaves it to the producer group's
     * {@link dev.mq.core.producer.TransactionChecker}. Destination, payload and headers as for
     * {@link #syncSend(String, Object)}; a delay header is refused. See {@link Producer#sendInTransaction}.
     *
     * @param payload a payload or a Spring {@link Message}
     * @return the state sent, the transaction id and the half message's send result
     * @throws MQException VALIDATION for a null local transaction or a bad message; if the local
     *         transaction throws, an MQException naming the transaction id (the message stays UNKNOWN)
     */
    public TransactionResult sendInTransaction(String destination, Object payload, LocalTransaction localTransaction) {
        return (TransactionResult) Objects.requireNonNull(
                doSend(SendRequest.transaction(destination, payload, localTransaction), Mode.TRANSACTION));
    }

    /**
     * Sends a transactional message ended by the Spring transaction of the calling thread (e.g. within
     * a {@code @Transactional} method). The half message is stored at once — a failure is thrown, so
     * the business transaction rolls back — and the message is committed after the transaction
     * commits and rolled back after it rolls back. If the process dies in between, nothing is sent and
     * the broker's check-back decides: with the transaction log on, the transaction id was written in
     * the same database transaction, and the log answers COMMIT exactly when that transaction committed.
     *
     * @param payload a payload or a Spring {@link Message}
     * @return the half message's send result; its {@link SendResult#messageId()} is the transaction id
     * @throws MQException VALIDATION outside an active Spring transaction, or for a bad message; the
     *         send's failure if the half message could not be stored
     */
    public SendResult sendInTransaction(String destination, Object payload) {
        return (SendResult) Objects.requireNonNull(
                doSend(SendRequest.boundTransaction(destination, payload), Mode.BOUND_TRANSACTION));
    }

    // ---- the one send path ----

    /** How a send reports its outcome; {@link #observed} is the observation's {@code mq.mode}. */
    private enum Mode {
        SYNC("sync"), ASYNC("async"), ONEWAY("oneway"), TRANSACTION("transaction"),
        /** Ended by the caller's Spring transaction: the observation closes when the end is written. */
        BOUND_TRANSACTION("transaction");

        final String observed;

        Mode(String observed) {
            this.observed = observed;
        }
    }

    private SendResult sync(SendRequest request) {
        return (SendResult) doSend(request, Mode.SYNC);
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<SendResult> async(SendRequest request) {
        return (CompletableFuture<SendResult>) doSend(request, Mode.ASYNC);
    }

    /**
     * Every send: checks the request, opens the observation (the destination is known by then, a
     * payload not yet checked), converts within it so that the trace context lands in every message,
     * hands the message or batch to the producer and closes the observation when the outcome is known.
     * A failure is thrown, or for {@link Mode#ASYNC} an {@link MQException} fails the returned future.
     *
     * @return the {@link SendResult} (SYNC), its {@link CompletableFuture} (ASYNC) or null (ONEWAY)
     */
    @SuppressWarnings("unchecked")
    private @Nullable Object doSend(SendRequest request, Mode mode) {
        SendObserver.Scope scope = SendObserver.Scope.NONE;
        try {
            Destination destination = request.validate();
            // Without an observer nothing is written into the carrier: share an empty one.
            Map<String, String> carrier = observer == SendObserver.NONE ? Map.of() : new LinkedHashMap<>();
            scope = observer.start(destination.topic(), mode.observed, carrier);
            if (mode == Mode.BOUND_TRANSACTION) {
                // Closed once by whichever comes first: a failure below or the end's completion.
                scope = new OnceScope(scope);
            }
            Object outcome = request.isBatch()
                    ? sendBatch(request, mode, toBatch(destination, request.batch(), carrier))
                    : send(request, mode, toMessage(destination, request.payload(), request.delay(),
                            request.deliverAt(), carrier), scope);
            if (mode == Mode.ASYNC) {
                return observed((CompletableFuture<SendResult>) outcome, scope);
            }
            if (mode == Mode.BOUND_TRANSACTION) {
                return outcome; // the transaction's completion closes the scope
            }
            scope.success();
            return outcome;
        } catch (RuntimeException e) {
            scope.failure(e);
            if (mode == Mode.ASYNC && e instanceof MQException) {
                return CompletableFuture.failedFuture(e);
            }
            throw e;
        }
    }

    private @Nullable Object send(SendRequest request, Mode mode, dev.mq.core.Message message,
                                  SendObserver.Scope scope) {
        String hashKey = request.hashKey();
        Duration timeout = request.timeout();
        return switch (mode) {
            case SYNC -> hashKey == null
                    ? (timeout == null ? producer.send(message) : producer.send(message, timeout))
                    : (timeout == null ? producer.send(message, BY_HASH, hashKey)
                            : producer.send(message, BY_HASH, hashKey, timeout));
            case ASYNC -> hashKey == null
                    ? (timeout == null ? producer.sendAsync(message) : producer.sendAsync(message, timeout))
                    : (timeout == null ? producer.sendAsync(message, BY_HASH, hashKey)
                            : producer.sendAsync(message, BY_HASH, hashKey, timeout));
            case ONEWAY -> {
                if (hashKey == null) {
                    producer.sendOneway(message);
                } else {
                    producer.sendOneway(message, BY_HASH, hashKey);
                }
                yield null;
            }
            case TRANSACTION -> producer.sendInTransaction(message, Objects.requireNonNull(request.localTransaction()));
            case BOUND_TRANSACTION -> begin(message, scope);
        };
    }

    /**
     * Stores the half message, binds its end to the caller's Spring transaction and records it in the
     * transaction log. The end is bound before the log is written: if writing fails, the exception
     * rolls the database transaction back, and with it the message.
     */
    private SendResult begin(dev.mq.core.Message message, SendObserver.Scope scope) {
        Transaction transaction = awaitHalf(producer.beginTransaction(message));
        TransactionBinding.bind(transaction, scope);
        if (transactionLog != null) {
            transactionLog.record(transaction.transactionId(), message.topic(), producer.group());
        }
        return transaction.sendResult();
    }

    /** Waits for the half message; the producer's send timeout bounds the wait. */
    private static Transaction awaitHalf(CompletableFuture<Transaction> half) {
        try {
            return half.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new MQException(MQException.Reason.CONNECTION, "the half message was not stored: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MQException(MQException.Reason.SHUTDOWN,
                    "interrupted while waiting for the half message to be stored", e);
        }
    }

    /** A scope that reports only its first outcome. */
    private static final class OnceScope implements SendObserver.Scope {

        private final SendObserver.Scope scope;
        private final AtomicBoolean closed = new AtomicBoolean();

        OnceScope(SendObserver.Scope scope) {
            this.scope = scope;
        }

        @Override
        public void success() {
            if (closed.compareAndSet(false, true)) {
                scope.success();
            }
        }

        @Override
        public void failure(Throwable error) {
            if (closed.compareAndSet(false, true)) {
                scope.failure(error);
            }
        }
    }

    private Object sendBatch(SendRequest request, Mode mode, List<dev.mq.core.Message> batch) {
        Duration timeout = request.timeout();
        return switch (mode) {
            case SYNC -> timeout == null ? producer.send(batch) : producer.send(batch, timeout);
            case ASYNC -> timeout == null ? producer.sendAsync(batch) : producer.sendAsync(batch, timeout);
            case ONEWAY, TRANSACTION, BOUND_TRANSACTION ->
                    throw new IllegalStateException("no " + mode.observed + " batch send exists");
        };
    }

    private static CompletableFuture<SendResult> observed(CompletableFuture<SendResult> future, SendObserver.Scope scope) {
        if (scope == SendObserver.Scope.NONE) {
            return future;
        }
        return future.whenComplete((result, error) -> {
            if (error != null) {
                scope.failure(error);
            } else {
                scope.success();
            }
        });
    }

    // ---- conversion ----

    private List<dev.mq.core.Message> toBatch(Destination destination, Collection<?> payloads,
                                              Map<String, String> carrier) {
        List<dev.mq.core.Message> batch = new ArrayList<>(payloads.size());
        for (Object payload : payloads) {
            batch.add(toMessage(destination, payload, null, null, carrier));
        }
        return batch;
    }

    private dev.mq.core.Message toMessage(Destination destination, @Nullable Object payload, @Nullable Duration delay,
                                          @Nullable Instant deliverAt, Map<String, String> carrier) {
        if (payload == null) {
            throw MQException.validation("payload must not be null (destination '" + destination.topic() + "')");
        }
        dev.mq.core.Message.Builder builder = dev.mq.core.Message.builder(destination.topic())
                .tags(destination.tags());
        Object body = payload;
        boolean contentTypeHeader = false;
        if (payload instanceof Message<?> springMessage) {
            body = springMessage.getPayload();
            MessageHeaders headers = springMessage.getHeaders();
            headerMapper.fromHeaders(headers, builder, destination.topic(), destination.tags());
            contentTypeHeader = headers.get(MessageHeaders.CONTENT_TYPE) != null;
        }
        MQPayloadConverter.Body converted = converter.toBody(body);
        builder.body(converted.bytes());
        if (converted.contentType() != null && !contentTypeHeader) {
            builder.property(MQPayloadConverter.CONTENT_TYPE_PROPERTY, converted.contentType());
        }
        if (delay != null) {
            builder.deliveryDelay(delay);
        }
        if (deliverAt != null) {
            builder.deliverAt(deliverAt);
        }
        if (!carrier.isEmpty()) {
            builder.properties(carrier);
        }
        return builder.build();
    }
}
