package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import dev.mq.core.SendResult;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.QueueSelector;
import dev.mq.core.producer.QueueSelectors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
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
 * <p>Every failure is an {@link MQException}; see {@link Producer} for deadlines and retries.
 */
public class MQTemplate {

    /** Header with the message keys (space-separated string or collection). */
    public static final String KEYS = "KEYS";
    /** Header with the message tag. */
    public static final String TAGS = "TAGS";
    /** Header with the broker delay level (1..18 on a default broker). */
    public static final String DELAY = "DELAY";

    private static final QueueSelector BY_HASH = QueueSelectors.hash();

    private final Producer producer;
    private final MQPayloadConverter converter;
    private final MQHeaderMapper headerMapper;
    private final SendObserver observer;

    /** A template whose Spring message headers are mapped by {@link DefaultMQHeaderMapper}. */
    public MQTemplate(Producer producer, MQPayloadConverter converter) {
        this(producer, converter, new DefaultMQHeaderMapper());
    }

    /** A template whose Spring message headers are mapped by {@code headerMapper}. */
    public MQTemplate(Producer producer, MQPayloadConverter converter, MQHeaderMapper headerMapper) {
        this(producer, converter, headerMapper, SendObserver.NONE);
    }

    MQTemplate(Producer producer, MQPayloadConverter converter, MQHeaderMapper headerMapper, SendObserver observer) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.converter = Objects.requireNonNull(converter, "converter");
        this.headerMapper = Objects.requireNonNull(headerMapper, "headerMapper");
        this.observer = Objects.requireNonNull(observer, "observer");
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

    // ---- the one send path ----

    /** How a send reports its outcome; {@link #observed} is the observation's {@code mq.mode}. */
    private enum Mode {
        SYNC("sync"), ASYNC("async"), ONEWAY("oneway");

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
            Object outcome = request.isBatch()
                    ? sendBatch(request, mode, toBatch(destination, request.batch(), carrier))
                    : send(request, mode, toMessage(destination, request.payload(), request.delay(),
                            request.deliverAt(), carrier));
            if (mode == Mode.ASYNC) {
                return observed((CompletableFuture<SendResult>) outcome, scope);
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

    private @Nullable Object send(SendRequest request, Mode mode, dev.mq.core.Message message) {
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
        };
    }

    private Object sendBatch(SendRequest request, Mode mode, List<dev.mq.core.Message> batch) {
        Duration timeout = request.timeout();
        return switch (mode) {
            case SYNC -> timeout == null ? producer.send(batch) : producer.send(batch, timeout);
            case ASYNC -> timeout == null ? producer.sendAsync(batch) : producer.sendAsync(batch, timeout);
            case ONEWAY -> throw new IllegalStateException("no oneway batch send exists");
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
