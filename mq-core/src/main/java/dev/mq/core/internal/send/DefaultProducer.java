package dev.mq.core.internal.send;

import dev.mq.core.Clock;
import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.SendResult;
import dev.mq.core.internal.client.ClientServices;
import dev.mq.core.internal.protocol.BatchBody;
import dev.mq.core.internal.protocol.Compression;
import dev.mq.core.internal.protocol.MessageIdGenerator;
import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.protocol.OutgoingProperties;
import dev.mq.core.internal.protocol.SysFlag;
import dev.mq.core.internal.protocol.Validation;
import dev.mq.core.internal.route.RouteWaiter;
import dev.mq.core.internal.route.TopicPublishInfo;
import dev.mq.core.internal.route.TopicRoutes;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.producer.LocalTransaction;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.core.producer.ProducerStats;
import dev.mq.core.producer.QueueSelector;
import dev.mq.core.producer.QueueSelectors;
import dev.mq.core.producer.SendContext;
import dev.mq.core.producer.SendHook;
import dev.mq.core.producer.SendMode;
import dev.mq.core.producer.Transaction;
import dev.mq.core.producer.TransactionResult;
import dev.mq.core.producer.TransactionState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer. Create it with {@link dev.mq.core.client.MQClientInstance#newProducer}; see
 * {@link Producer} for the contract.
 */
public final class DefaultProducer implements Producer {

    private static final Logger log = LoggerFactory.getLogger(DefaultProducer.class);
    /** At most one WARN per this long about failed oneway sends: a broker down fails them by thousands. */
    private static final long ONEWAY_WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Header {@code i} of a batch: only WAIT (brokers up to 5.3.3 copy it into every message of the batch). */
    static final OutgoingProperties BATCH_PROPERTIES = OutgoingProperties.ofEncoded(MessageProperties.WAIT
            + MessageProperties.NAME_VALUE_SEPARATOR + "true" + MessageProperties.PROPERTY_SEPARATOR);

    /** {@link Validation#MAX_TIMEOUT} in seconds: the per-send check compares a long, nothing more. */
    private static final long MAX_TIMEOUT_SECONDS = Validation.MAX_TIMEOUT.getSeconds();

    private final ProducerConfig config;
    /** The body format chosen, by the name it shares with {@link ProducerConfig#compression()}. */
    private final Compression.Codec codec;
    private final ClientServices client;
    /** The client's clock, read for every deadline: a final field, so the hot path pays one call. */
    private final Clock clock;
    private final String wireGroup;
    private final List<SendHook> hooks;
    private final InFlightLimiter limiter;
    private final LatencyFaultTolerance faultTolerance;
    /** Orderly sends: one request at a time per queue, so that they are stored in call order. */
    private final QueueDispatchers orderly;
    /** Auto-batched sends; null when auto-batching is off. */
    private final @Nullable QueueDispatchers batching;
    /** Built once: a method reference per send would be an allocation on the hot path. */
    private final Predicate<String> brokerAvailable;
    private final MessageIdGenerator ids = MessageIdGenerator.shared();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final LongAdder retries = new LongAdder();
    private final LongAdder autoBatches = new LongAdder();
    /** Transactions ended by this producer, by state sent; check-backs answered, by answer (enum order). */
    private final LongAdder[] transactions = adders();
    private final LongAdder[] checks = adders();
    /** One view for the producer's lifetime: metrics hold it (weakly) as long as the producer lives. */
    private final ProducerStats stats = new Stats();
    /** Requests waiting for their reply; at most {@link ProducerConfig#maxInFlightRequests()}, under its policy. */
    private final InFlightLimiter pendingLimiter;
    private final Set<PendingRequest> pendingRequests = ConcurrentHashMap.newKeySet();
    /** Oneway sends failed since the last WARN about them, and the clock's time at which the next may be logged. */
    private final AtomicLong onewayFailures = new AtomicLong();
    private final AtomicLong nextOnewayWarn;

    /** Internal: use {@link dev.mq.core.client.MQClientInstance#newProducer}. */
    public DefaultProducer(ProducerConfig config, ClientServices client) {
        this.config = Objects.requireNonNull(config, "config");
        this.codec = Compression.Codec.valueOf(config.compression().name());
        this.client = Objects.requireNonNull(client, "client");
        this.clock = client.clock();
        this.wireGroup = withNamespace(config.group());
        Validation.checkGroup(wireGroup); // the namespace counts towards the group's length
        this.hooks = config.hooks();
        this.limiter = new InFlightLimiter(config.maxInFlightRequests(), config.maxInFlightBytes(), config.backpressure(),
                clock);
        this.faultTolerance = new LatencyFaultTolerance(config.latencyFaultTolerance(), clock);
        this.orderly = new QueueDispatchers(this, DispatchPolicy.ordered(config.autoBatching()));
        this.batching = config.autoBatching().enabled()
                ? new QueueDispatchers(this, DispatchPolicy.batching(config.autoBatching())) : null;
        this.brokerAvailable = faultTolerance::isAvailable;
        this.pendingLimiter = new InFlightLimiter(config.maxInFlightRequests(), config.maxInFlightBytes(),
                config.backpressure(), clock);
        this.nextOnewayWarn = new AtomicLong(clock.nanoTime()); // the first failure is logged at once
    }

    @Override
    public String group() {
        return config.group();
    }

    public ProducerConfig config() {
        return config;
    }

    // ---- sync ----

    @Override
    public SendResult send(Message message) {
        return send(message, config.sendTimeout());
    }

    @Override
    public SendResult send(Message message, Duration timeout) {
        return await(submit(prepare(message), SendMode.SYNC, null, null, timeout), timeout);
    }

    @Override
    public SendResult send(Message message, QueueSelector selector, @Nullable Object arg) {
        return send(message, selector, arg, config.sendTimeout());
    }

    @Override
    public SendResult send(Message message, QueueSelector selector, @Nullable Object arg, Duration timeout) {
        requireSelector(selector, arg);
        return await(submit(prepare(message), SendMode.SYNC, selector, arg, timeout), timeout);
    }

    @Override
    public SendResult send(Collection<Message> batch) {
        return send(batch, config.sendTimeout());
    }

    @Override
    public SendResult send(Collection<Message> batch, Duration timeout) {
        return await(submit(prepareBatch(batch), SendMode.SYNC, null, null, timeout), timeout);
    }

    // ---- async ----

    @Override
    public CompletableFuture<SendResult> sendAsync(Message message) {
        return sendAsync(message, config.sendTimeout());
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Message message, Duration timeout) {
        // Without submitAsync's supplier: a lambda holding the message would be an object per send.
        try {
            Payload plain = encode(message);
            return plain.body().length < config.compressThreshold()
                    ? submit(plain, SendMode.ASYNC, null, null, timeout)
                    : compressElsewhere(plain, timeout);
        } catch (MQException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * An unordered asynchronous send of a body to compress: admitted here (checks and in-flight
     * permits for its uncompressed bytes, so backpressure still holds the caller), compressed and
     * started on the callback executor, so that the caller's thread does not spend the compression's
     * CPU (about 100 µs per 16 KiB with zlib) and one sending thread is not the limit. Such sends
     * promise no wire order, as no unordered send does: orderly sends compress on the caller's thread.
     */
    private CompletableFuture<SendResult> compressElsewhere(Payload plain, Duration timeout) {
        long start = clock.nanoTime();
        long deadline = admit(plain, start, timeout);
        CompletableFuture<SendResult> future = new CompletableFuture<>();
        try {
            client.callbackExecutor().execute(() -> {
                Payload payload;
                try {
                    payload = compressed(plain);
                } catch (RuntimeException | Error e) { // nothing was sent: the permits go back, the caller hears why
                    notSent(plain, future, e);
                    return;
                }
                limiter.shrink(plain.wireBytes(), payload.wireBytes());
                launch(payload, SendMode.ASYNC, null, null, start, deadline, future);
            });
        } catch (RuntimeException e) { // the callback executor never refuses a task; should one still fail...
            notSent(plain, future, e);
        }
        return future;
    }

    /** An admitted send that never started: its permits go back and its caller hears why. */
    private void notSent(Payload admitted, CompletableFuture<SendResult> future, Throwable e) {
        limiter.release(admitted.wireBytes());
        future.completeExceptionally(e instanceof MQException mq ? mq : BrokerAttempt.unexpected(e));
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Message message, QueueSelector selector, @Nullable Object arg) {
        return sendAsync(message, selector, arg, config.sendTimeout());
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Message message, QueueSelector selector, @Nullable Object arg,
                                                  Duration timeout) {
        return submitAsync(() -> {
            requireSelector(selector, arg);
            return prepare(message);
        }, selector, arg, timeout);
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Collection<Message> batch) {
        return sendAsync(batch, config.sendTimeout());
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Collection<Message> batch, Duration timeout) {
        return submitAsync(() -> prepareBatch(batch), null, null, timeout);
    }

    // ---- oneway: an asynchronous send without a future (same permit, retries, auto-batching and close);
    // its outcome reaches the hooks and, for a failure, a rate-limited WARN (onewayFailed) ----

    @Override
    public void sendOneway(Message message) {
        dispatch(prepare(message), SendMode.ONEWAY, null, null, config.sendTimeout(), null);
    }

    @Override
    public void sendOneway(Message message, QueueSelector selector, @Nullable Object arg) {
        requireSelector(selector, arg);
        dispatch(prepare(message), SendMode.ONEWAY, selector, arg, config.sendTimeout(), null);
    }

    // ---- request-reply ----

    @Override
    public CompletableFuture<ReceivedMessage> request(Message message, Duration timeout) {
        return startRequest(message, false, null, null, timeout);
    }

    @Override
    public CompletableFuture<ReceivedMessage> request(Message message, QueueSelector selector, @Nullable Object arg,
                                                      Duration timeout) {
        return startRequest(message, true, selector, arg, timeout);
    }

    /**
     * A request: validated and encoded on the caller's thread (any problem fails the future before
     * I/O), admitted under the pending-request cap, registered with the client's reply router and
     * armed with its deadline; then its topic's route, then a heartbeat acknowledged by each of the
     * route's masters (a broker pushes a reply only to a client it knows, and the first request of a
     * topic may otherwise outrun the first heartbeat), then the send with the time left. With a cached
     * route whose brokers already know this client, the send leaves from the caller's thread.
     */
    private CompletableFuture<ReceivedMessage> startRequest(Message message, boolean orderly,
                                                            @Nullable QueueSelector selector, @Nullable Object arg,
                                                            @Nullable Duration timeout) {
        long start = clock.nanoTime();
        Payload plain;
        try {
            if (timeout == null || timeout.isNegative() || timeout.isZero()
                    || timeout.getSeconds() > MAX_TIMEOUT_SECONDS) {
                Validation.checkTimeout("request timeout", timeout, false); // throws, naming the value
            }
            if (orderly) {
                requireSelector(selector, arg);
            }
            plain = prepare(message);
            if (!isRunning()) {
                throw new MQException(MQException.Reason.SHUTDOWN, "producer '" + config.group() + "' is "
                        + (running.get() ? "not started: start its MQClientInstance first" : "closed"));
            }
        } catch (MQException e) {
            return CompletableFuture.failedFuture(e);
        }
        Duration wait = Objects.requireNonNull(timeout);
        long deadline = start + wait.toNanos();
        try {
            pendingLimiter.acquire(0, deadline);
        } catch (MQException e) {
            return CompletableFuture.failedFuture(e);
        }
        String correlationId = UUID.randomUUID().toString();
        Payload payload;
        try {
            payload = plain.withProperties(plain.userTopic(), plain.wireTopic(), plain.properties().plus(
                    MessageProperties.requestFields(correlationId, client.clientId(), wait.toMillis())), false);
        } catch (MQException e) {
            pendingLimiter.release(0);
            return CompletableFuture.failedFuture(e);
        }
        PendingRequest pending = new PendingRequest(this, plain.userTopic(), correlationId, wait.toMillis());
        pendingRequests.add(pending);
        client.replies().expect(correlationId, pending);
        try {
            pending.timer(remoting().schedule(pending, deadline - clock.nanoTime(), TimeUnit.NANOSECONDS));
        } catch (RuntimeException e) { // the client's timer stopped: it closed under us
            pending.fail(new MQException(MQException.Reason.SHUTDOWN, "producer '" + config.group()
                    + "' is closing", e));
            return pending.future();
        }
        if (!running.get()) { // closed while this was registering: close() may have missed it
            pending.fail(closed());
            return pending.future();
        }
        TopicPublishInfo route = routes().cached(payload.wireTopic());
        if (route != null) {
            announceThenSend(pending, payload, route, selector, arg, deadline);
        } else {
            routes().await(payload.wireTopic(), new RouteWaiter() {
                @Override
                public void routeReady(TopicPublishInfo found) {
                    announceThenSend(pending, payload, found, selector, arg, deadline);
                }

                @Override
                public void routeFailed(MQException error) {
                    pending.fail(error);
                }
            });
        }
        return pending.future();
    }

    private void announceThenSend(PendingRequest pending, Payload payload, TopicPublishInfo route,
                                  @Nullable QueueSelector selector, @Nullable Object arg, long deadline) {
        CompletableFuture<Void> announced = client.announcedTo(route.masters().values());
        if (announced.isDone() && !announced.isCompletedExceptionally()) {
            sendRequest(pending, payload, selector, arg, deadline);
            return;
        }
        announced.whenCompleteAsync((ignored, error) -> {
            if (error != null) { // the send may still reach a broker that knows this client from before
                log.debug("request {}: {}", pending.correlationId(), error.getMessage());
            }
            sendRequest(pending, payload, selector, arg, deadline);
        }, callbackExecutor());
    }

    private void sendRequest(PendingRequest pending, Payload payload, @Nullable QueueSelector selector,
                             @Nullable Object arg, long deadline) {
        long left = deadline - clock.nanoTime();
        if (pending.isDone() || left <= 0) { // past the deadline: its timer fails it
            return;
        }
        CompletableFuture<SendResult> sent = new CompletableFuture<>();
        try {
            dispatch(payload, SendMode.ASYNC, selector, arg, Duration.ofNanos(left), sent);
        } catch (MQException e) {
            pending.fail(e);
            return;
        }
        sent.whenComplete((result, error) -> {
            if (error != null) {
                pending.fail(error instanceof MQException mq ? mq
                        : new MQException(MQException.Reason.CONNECTION, "request failed: " + error, error));
            }
        });
    }

    /** A request ended (replied, timed out, failed, closed): it no longer counts against the cap. */
    void requestEnded(PendingRequest pending) {
        client.replies().forget(pending.correlationId(), pending);
        if (pendingRequests.remove(pending)) {
            pendingLimiter.release(0);
        }
    }

    /** Requests waiting for their reply; see {@link ProducerConfig#maxInFlightRequests()}. */
    public int pendingRequests() {
        return pendingRequests.size();
    }

    @Override
    public CompletableFuture<SendResult> reply(ReceivedMessage request, byte[] body) {
        if (body == null) {
            return CompletableFuture.failedFuture(MQException.validation("reply body is null"));
        }
        if (request == null) {
            return CompletableFuture.failedFuture(MQException.validation("request is null: nothing to reply to"));
        }
        String cluster = request.cluster();
        return reply(request, Message.builder(cluster == null ? request.topic() : cluster
                + MessageProperties.REPLY_TOPIC_SUFFIX).body(body).build());
    }

    /**
     * The reply goes to {@code <cluster>_REPLY_TOPIC} of the request's cluster (a topic every broker
     * has), as SEND_REPLY_MESSAGE_V2: the broker pushes it to the requester's connection and stores it.
     */
    @Override
    public CompletableFuture<SendResult> reply(ReceivedMessage request, Message reply) {
        try {
            if (request == null) {
                throw MQException.validation("request is null: nothing to reply to");
            }
            String correlationId = request.correlationId();
            String replyTo = request.replyToClient();
            if (!request.isRequest() || correlationId == null || replyTo == null) {
                throw MQException.validation("message " + request.messageId() + " on topic '" + request.topic()
                        + "' is not a request (no " + MessageProperties.CORRELATION_ID + " and "
                        + MessageProperties.REPLY_TO_CLIENT + ", or it is itself a reply): there is nobody to reply to");
            }
            String cluster = request.cluster();
            if (cluster == null) {
                throw MQException.validation("request " + correlationId + " names no cluster (property "
                        + MessageProperties.CLUSTER + "): the reply topic is unknown");
            }
            if (reply != null && reply.isDelayed()) {
                throw MQException.validation("a reply cannot be delayed: the requester waits for it");
            }
            Payload plain = prepare(reply);
            String topic = cluster + MessageProperties.REPLY_TOPIC_SUFFIX;
            Duration ttl = request.requestTtl();
            OutgoingProperties properties = plain.properties().plus(MessageProperties.replyFields(correlationId,
                    replyTo, ttl == null ? null : Long.toString(ttl.toMillis())));
            // The reply topic is the cluster's own, outside any namespace.
            Payload payload = plain.withProperties(topic, topic, properties, true);
            return submit(payload, SendMode.ASYNC, null, null, config.sendTimeout());
        } catch (MQException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---- transactions ----

    /**
     * The half message is a sync send to one broker (never auto-batched; retried only while no broker
     * has stored it), the local transaction runs on this thread, and the end is written oneway to the
     * master of the broker that stored the half. A half stored with FLUSH_DISK_TIMEOUT,
     * FLUSH_SLAVE_TIMEOUT or SLAVE_NOT_AVAILABLE is rolled back at once and the call fails before the
     * local transaction runs (as the official client rolls such a half back): the half is not yet safe,
     * and nothing has happened that the caller cannot simply try again. A local transaction that throws
     * leaves the message UNKNOWN — an UNKNOWN end is written (the broker ignores it and checks back),
     * so the group's checker decides — and its exception is rethrown as {@link MQException.Reason#LOCAL_TRANSACTION}.
     */
    @Override
    public TransactionResult sendInTransaction(Message message, LocalTransaction localTransaction) {
        if (localTransaction == null) {
            throw MQException.validation("local transaction is null: sendInTransaction needs one "
                    + "(or use beginTransaction and end it yourself)");
        }
        Duration timeout = config.sendTimeout();
        Payload payload = prepareHalf(message);
        DefaultTransaction transaction = stored(await(submit(payload, SendMode.SYNC, null, null, timeout), timeout),
                payload);
        TransactionState state;
        try {
            state = localTransaction.execute(transaction.sendResult());
        } catch (Exception | LinkageError | AssertionError e) {
            transaction.end(TransactionState.UNKNOWN);
            throw new MQException(MQException.Reason.LOCAL_TRANSACTION, "local transaction of transaction "
                    + transaction.transactionId() + " threw " + e + ": the message stays UNKNOWN until the "
                    + "group's checker answers", e);
        }
        if (state == null) {
            state = TransactionState.UNKNOWN;
        }
        transaction.end(state);
        return new TransactionResult(state, transaction.transactionId(), transaction.sendResult());
    }

    @Override
    public CompletableFuture<Transaction> beginTransaction(Message message) {
        Payload payload;
        try {
            payload = prepareHalf(message);
        } catch (MQException e) {
            return CompletableFuture.failedFuture(e);
        }
        // A sync-mode send without hooks completes where the answer arrives, on the event loop: the
        // transaction (and whatever the caller chains on it) is handed to the callback executor.
        return submit(payload, SendMode.SYNC, null, null, config.sendTimeout()).thenComposeAsync(result -> {
            try {
                return CompletableFuture.completedFuture(stored(result, payload));
            } catch (MQException e) { // unwrapped, as every other send fails its future
                return CompletableFuture.failedFuture(e);
            }
        }, callbackExecutor());
    }

    /**
     * The transaction of a stored half; a half stored but not safe (flush or replica timeout) is rolled
     * back here and the call fails.
     */
    private DefaultTransaction stored(SendResult half, Payload payload) {
        DefaultTransaction transaction = new DefaultTransaction(this, half, payload.wireTopic());
        if (!half.isOk()) {
            transaction.end(TransactionState.ROLLBACK);
            throw new MQException(MQException.Reason.BROKER_REJECTED, "half message of transaction "
                    + transaction.transactionId() + " was stored with " + half.status() + " on "
                    + half.queue().brokerName() + ": rolled back, the local transaction did not run");
        }
        return transaction;
    }

    /** A half message: checked as any message, then marked transactional for the broker. */
    private Payload prepareHalf(Message message) {
        if (message != null && message.isDelayed()) {
            throw MQException.validation("a transactional message cannot be delayed (topic '" + message.topic()
                    + "'): the broker would deliver it without waiting for the transaction's end");
        }
        if (!running.get()) {
            throw MQException.validation("producer '" + config.group() + "' is closed: it cannot start a "
                    + "transaction");
        }
        Payload plain = prepare(message);
        OutgoingProperties properties = plain.properties().plus(MessageProperties.TRAN_MSG
                + MessageProperties.NAME_VALUE_SEPARATOR + "true" + MessageProperties.PROPERTY_SEPARATOR
                + MessageProperties.PGROUP + MessageProperties.NAME_VALUE_SEPARATOR + wireGroup
                + MessageProperties.PROPERTY_SEPARATOR);
        return new Payload(plain.userTopic(), plain.wireTopic(), plain.body(), properties,
                plain.sysFlag() | SysFlag.TRANSACTION_PREPARED, plain.flag(), false, plain.messageIds(), plain.first(),
                plain.userBytes());
    }

    // ---- the one send path ----

    /**
     * Validation, backpressure and the first write happen on the caller's thread (so sends issued in
     * order reach the wire in order; unordered asynchronous sends of a body to compress write later,
     * see {@link #compressElsewhere}); everything after is asynchronous.
     */
    private CompletableFuture<SendResult> submit(Payload payload, SendMode mode, @Nullable QueueSelector selector,
                                                 @Nullable Object arg, Duration timeout) {
        CompletableFuture<SendResult> future = new CompletableFuture<>();
        dispatch(payload, mode, selector, arg, timeout, future);
        return future;
    }

    /** Sends {@code payload}; its outcome completes {@code future}, or nothing for a oneway send ({@code null}). */
    private void dispatch(Payload payload, SendMode mode, @Nullable QueueSelector selector, @Nullable Object arg,
                          Duration timeout, @Nullable CompletableFuture<SendResult> future) {
        long start = clock.nanoTime();
        long deadline = admit(payload, start, timeout);
        launch(payload, mode, selector, arg, start, deadline, future);
    }

    /**
     * The checks every send passes on the caller's thread, and its in-flight permits for
     * {@code payload}'s bytes (past the cap the caller waits or fails here); returns its deadline.
     */
    private long admit(Payload payload, long start, Duration timeout) {
        checkTimeout(timeout);
        if (!isRunning()) {
            throw new MQException(MQException.Reason.SHUTDOWN, "producer '" + config.group() + "' is "
                    + (running.get() ? "not started: start its MQClientInstance first" : "closed"));
        }
        long deadline = start + timeout.toNanos();
        limiter.acquire(payload.wireBytes(), deadline);
        return deadline;
    }

    /** Starts an admitted send: from here its outcome reaches {@code future} (or, for oneway, nobody). */
    private void launch(Payload payload, SendMode mode, @Nullable QueueSelector selector, @Nullable Object arg,
                        long start, long deadline, @Nullable CompletableFuture<SendResult> future) {
        SendOperation operation = new SendOperation(this, payload, mode, selector, arg, start, deadline, future);
        try {
            operation.start();
        } catch (RuntimeException e) { // e.g. the transport closed under us: never leak the permit
            operation.abort(e instanceof MQException mq ? mq
                    : new MQException(MQException.Reason.SHUTDOWN, "producer '" + config.group() + "' is closing", e));
        } catch (Error e) { // e.g. out of memory: this send fails, the producer keeps its capacity
            operation.abort(BrokerAttempt.unexpected(e));
        }
    }

    private CompletableFuture<SendResult> submitAsync(Supplier<Payload> prepare, @Nullable QueueSelector selector,
                                                      @Nullable Object arg, Duration timeout) {
        try {
            return submit(prepare.get(), SendMode.ASYNC, selector, arg, timeout);
        } catch (MQException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private SendResult await(CompletableFuture<SendResult> future, Duration timeout) {
        try {
            // The operation fails itself at its deadline; the margin only guards against a lost completion.
            return future.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MQException mq) {
                throw mq;
            }
            throw new MQException(MQException.Reason.CONNECTION, "send failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new MQException(MQException.Reason.TIMEOUT, "no outcome within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MQException(MQException.Reason.TIMEOUT, "interrupted while waiting for the send", e);
        }
    }

    // ---- encoding, once per send ----

    private Payload prepare(Message message) {
        return compressed(encode(message));
    }

    /** The message validated and encoded, its body as given. */
    private Payload encode(Message message) {
        if (message == null) {
            throw MQException.validation("message is null: nothing to send");
        }
        byte[] body = Validation.checkMessage(message, config.maxMessageSize());
        String id = ids.next();
        OutgoingProperties properties = OutgoingProperties.of(message, id, true); // checks their size
        return new Payload(message.topic(), wireTopic(message.topic()), body, properties, 0, message.flag(), false,
                List.of(id), message, body.length);
    }

    /**
     * {@code plain} with its body compressed when it is at least the threshold and compressing makes
     * it smaller; otherwise {@code plain} itself (a body that does not shrink goes as it is).
     */
    private Payload compressed(Payload plain) {
        byte[] body = plain.body();
        if (body.length < config.compressThreshold()) {
            return plain;
        }
        byte[] compressed = codec.compress(body, config.compressLevel());
        if (compressed.length >= body.length) {
            return plain;
        }
        return new Payload(plain.userTopic(), plain.wireTopic(), compressed, plain.properties(),
                plain.sysFlag() | codec.sysFlag(), plain.flag(), false, plain.messageIds(), plain.first(),
                plain.userBytes());
    }

    private Payload prepareBatch(Collection<Message> batch) {
        if (batch == null) {
            throw MQException.validation("batch is null: a batch needs at least one message");
        }
        if (batch.isEmpty()) {
            throw MQException.validation("batch is empty: a batch needs at least one message");
        }
        String topic = null;
        List<BatchBody.Record> records = new ArrayList<>(batch.size());
        List<String> messageIds = new ArrayList<>(batch.size());
        long userBytes = 0;
        Message first = null;
        for (Message message : batch) {
            if (message == null) {
                throw MQException.validation("batch message #" + records.size() + " is null: a batch must not "
                        + "contain null messages");
            }
            byte[] body = Validation.checkMessage(message, config.maxMessageSize());
            if (topic == null) {
                topic = message.topic();
                first = message;
            } else if (!topic.equals(message.topic())) {
                throw MQException.validation("all messages of a batch must have one topic: found '" + topic
                        + "' and '" + message.topic() + "'");
            }
            if (message.isDelayed()) {
                throw MQException.validation("delayed messages cannot be sent in a batch (topic '" + topic + "')");
            }
            String id = ids.next();
            String properties = MessageProperties.encode(message, id, true);
            Validation.checkPropertiesSize(properties);
            records.add(new BatchBody.Record(message.flag(), body, properties));
            messageIds.add(id);
            userBytes += body.length;
        }
        if (topic == null || first == null) { // a non-empty batch of checked messages sets both
            throw new IllegalStateException("batch without a first message");
        }
        int size = BatchBody.encodedSize(records);
        if (size > config.maxMessageSize()) {
            throw MQException.validation("batch of " + batch.size() + " messages encodes to " + size
                    + " bytes, over the max message size of " + config.maxMessageSize() + ": split it");
        }
        byte[] encoded = new byte[size];
        ByteBuf out = Unpooled.wrappedBuffer(encoded).writerIndex(0);
        BatchBody.encode(records, out);
        return new Payload(topic, wireTopic(topic), encoded, BATCH_PROPERTIES, 0, 0, true,
                messageIds, first, userBytes);
    }

    private String withNamespace(String name) {
        String namespace = client.namespace();
        return namespace == null ? name : namespace + "%" + name;
    }

    /** The topic as brokers see it; its length is checked with the namespace, before any I/O. */
    private String wireTopic(String topic) {
        String namespace = client.namespace();
        if (namespace == null) {
            return topic;
        }
        Validation.checkNamespacedTopic(namespace, topic);
        return namespace + "%" + topic;
    }

    private static void requireSelector(@Nullable QueueSelector selector, @Nullable Object arg) {
        if (selector == null) {
            throw MQException.validation("queue selector is null: an orderly send needs one (e.g. QueueSelectors.hash())");
        }
        selector.checkArgument(arg);
    }

    private static void checkTimeout(@Nullable Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.getSeconds() > MAX_TIMEOUT_SECONDS) {
            Validation.checkTimeout("send timeout", timeout, false); // throws, naming the value
        }
    }

    // ---- services for SendOperation ----

    /** The group as brokers see it (with the namespace prefix, if any). */
    public String wireGroup() {
        return wireGroup;
    }

    List<SendHook> hooks() {
        return hooks;
    }

    /** What deadlines are read against: the client's clock. */
    Clock clock() {
        return clock;
    }

    TopicRoutes routes() {
        return client.routes();
    }

    RemotingClient remoting() {
        return client.remoting();
    }

    Executor callbackExecutor() {
        return client.callbackExecutor();
    }

    /** Runs {@code task} on the callback executor (which never drops a task, see {@link ClientServices}). */
    void runCallback(Runnable task) {
        client.callbackExecutor().execute(task);
    }

    /** Whether latency fault tolerance currently lets sends go to a broker. */
    Predicate<String> brokerAvailable() {
        return brokerAvailable;
    }

    LatencyFaultTolerance faultTolerance() {
        return faultTolerance;
    }

    /** The dispatchers of orderly sends. */
    QueueDispatchers orderly() {
        return orderly;
    }

    /** The dispatchers of auto-batched sends, or null when auto-batching is off. */
    @Nullable QueueDispatchers batching() {
        return batching;
    }

    /** Queue dispatchers currently kept (one per queue in use and kind of send); for tests. */
    public int queueStates() {
        return orderly.size() + (batching == null ? 0 : batching.size());
    }

    /** For tests: how long a queue's dispatcher may stay unused before it is removed. */
    public void queueIdleTime(long nanos) {
        orderly.sweepClock().idleNanos(nanos);
        if (batching != null) {
            batching.sweepClock().idleNanos(nanos);
        }
    }

    void release(Payload payload) {
        limiter.release(payload.wireBytes());
    }

    /**
     * A oneway send failed after its attempts: nobody waits for it, so it is logged — at most once per
     * {@link #ONEWAY_WARN_INTERVAL_NANOS}, with the number of failures since the last time, so that a
     * broker going away does not flood the log with one line per message.
     */
    void onewayFailed(String topic, MQException error) {
        onewayFailures.incrementAndGet();
        long now = clock.nanoTime();
        long next = nextOnewayWarn.get();
        if (now - next < 0 || !nextOnewayWarn.compareAndSet(next, now + ONEWAY_WARN_INTERVAL_NANOS)) {
            return;
        }
        long failures = onewayFailures.getAndSet(0);
        log.warn("producer '{}': {} oneway send(s) failed since the last such warning (one at most every {} s);"
                + " the latest, to topic '{}': {}", config.group(), failures,
                TimeUnit.NANOSECONDS.toSeconds(ONEWAY_WARN_INTERVAL_NANOS), topic, error.getMessage());
    }

    void countRetry() {
        retries.increment();
    }

    void countAutoBatch() {
        autoBatches.increment();
    }

    void countTransaction(TransactionState state) {
        transactions[state.ordinal()].increment();
    }

    void countCheck(TransactionState answer) {
        checks[answer.ordinal()].increment();
    }

    private static LongAdder[] adders() {
        LongAdder[] adders = new LongAdder[TransactionState.values().length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    void fireBefore(SendContext context) {
        for (SendHook hook : hooks) {
            try {
                hook.beforeSend(context);
            } catch (Throwable e) { // user code: whatever it throws, the send goes on and completes
                log.warn("send hook {} failed in beforeSend", hook, e);
            }
        }
    }

    /** Tells the hooks; {@code context} is null exactly when there are none (no context is made for nobody). */
    void fireAfter(@Nullable SendContext context) {
        if (context == null) {
            return;
        }
        for (SendHook hook : hooks) {
            try {
                hook.afterSend(context);
            } catch (Throwable e) { // user code: whatever it throws, the send goes on and completes
                log.warn("send hook {} failed in afterSend", hook, e);
            }
        }
    }

    // ---- lifecycle ----

    @Override
    public int inFlightRequests() {
        return limiter.inFlightRequests();
    }

    @Override
    public ProducerStats stats() {
        return stats;
    }

    @Override
    public boolean isRunning() {
        return running.get() && client.isRunning();
    }

    @Override
    public void close() {
        if (stopIntake()) {
            awaitDrained(System.nanoTime() + config.shutdownTimeout().toNanos()); // real time: see awaitDrained
        }
    }

    /**
     * First half of {@link #close()}: stop taking sends. Returns false if already stopped. The client
     * instance stops all its producers first, then waits for them together, so closing several
     * producers takes the longest shutdown timeout rather than their sum.
     */
    public boolean stopIntake() {
        if (!running.compareAndSet(true, false)) {
            return false;
        }
        // Nobody will wait for their replies: they end now, not at their deadlines.
        for (PendingRequest pending : List.copyOf(pendingRequests)) {
            pending.fail(closed());
        }
        return true;
    }

    private MQException closed() {
        return new MQException(MQException.Reason.SHUTDOWN, "producer '" + config.group() + "' closed while the"
                + " request waited for its reply");
    }

    /**
     * Second half of {@link #close()}: wait for in-flight sends until {@code deadlineNanos}, a
     * {@link System#nanoTime()} value — this waits for other threads, so in real time, whatever the
     * client's clock.
     */
    public void awaitDrained(long deadlineNanos) {
        if (!limiter.awaitIdle(deadlineNanos)) {
            log.warn("producer '{}' closed with {} sends still in flight after {} ms", config.group(),
                    limiter.inFlightRequests(), config.shutdownTimeout().toMillis());
        }
        client.producerClosed(this);
    }

    @Override
    public String toString() {
        return "DefaultProducer[group=" + config.group() + ", running=" + isRunning() + "]";
    }

    private final class Stats implements ProducerStats {

        @Override
        public int inFlightRequests() {
            return limiter.inFlightRequests();
        }

        @Override
        public long inFlightBytes() {
            return limiter.inFlightBytes();
        }

        @Override
        public long retries() {
            return retries.sum();
        }

        @Override
        public long autoBatches() {
            return autoBatches.sum();
        }

        @Override
        public long transactions(TransactionState state) {
            return transactions[state.ordinal()].sum();
        }

        @Override
        public long transactionChecks(TransactionState answer) {
            return checks[answer.ordinal()].sum();
        }
    }
}
