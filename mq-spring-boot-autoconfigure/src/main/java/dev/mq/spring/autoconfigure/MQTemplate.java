package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import dev.mq.core.SendResult;
import dev.mq.core.producer.Producer;
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
import java.util.function.Supplier;
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
 * <p>Every failure is an {@link MQException}; see {@link Producer} for deadlines and retries.
 */
public class MQTemplate {

    /** Header with the message keys (space-separated string or collection). */
    public static final String KEYS = "KEYS";
    /** Header with the message tag. */
    public static final String TAGS = "TAGS";
    /** Header with the broker delay level (1..18 on a default broker). */
    public static final String DELAY = "DELAY";

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
        return sync(destination, payload, null, null, null, null);
    }

    public SendResult syncSend(String destination, Object payload, Duration timeout) {
        return sync(destination, payload, timeout, null, null, null);
    }

    public SendResult syncSend(String destination, Message<?> message) {
        return sync(destination, message, null, null, null, null);
    }

    public SendResult syncSend(String destination, Message<?> message, Duration timeout) {
        return sync(destination, message, timeout, null, null, null);
    }

    /** Same hash key, same queue, stored in call order. */
    public SendResult syncSendOrderly(String destination, Object payload, String hashKey) {
        return sync(destination, payload, null, requireKey(hashKey), null, null);
    }

    public SendResult syncSendOrderly(String destination, Object payload, String hashKey, Duration timeout) {
        return sync(destination, payload, timeout, requireKey(hashKey), null, null);
    }

    /** Delivered to consumers after {@code delay} (RocketMQ 5 timer). */
    public SendResult syncSendDelayed(String destination, Object payload, Duration delay) {
        return sync(destination, payload, null, null, requireDelay(delay), null);
    }

    /** Delivered to consumers at {@code deliverAt} (RocketMQ 5 timer). */
    public SendResult syncSendAt(String destination, Object payload, Instant deliverAt) {
        return sync(destination, payload, null, null, null, requireDeliverAt(deliverAt));
    }

    /** Sends the payloads as one batch (one request); they must fit the max message size together. */
    public SendResult syncSend(String destination, Collection<?> payloads) {
        return syncSend(destination, payloads, null);
    }

    public SendResult syncSend(String destination, Collection<?> payloads, @Nullable Duration timeout) {
        List<dev.mq.core.Message> batch = batch(destination, payloads);
        SendObserver.Scope scope = observer.start(batch.get(0).topic(), "sync", new LinkedHashMap<>());
        try {
            SendResult result = timeout == null ? producer.send(batch) : producer.send(batch, timeout);
            scope.success();
            return result;
        } catch (RuntimeException e) {
            scope.failure(e);
            throw e;
        }
    }

    // ---- async ----

    public CompletableFuture<SendResult> asyncSend(String destination, Object payload) {
        return async(destination, payload, null, null, null, null);
    }

    public CompletableFuture<SendResult> asyncSend(String destination, Object payload, Duration timeout) {
        return async(destination, payload, timeout, null, null, null);
    }

    public CompletableFuture<SendResult> asyncSend(String destination, Message<?> message) {
        return async(destination, message, null, null, null, null);
    }

    public CompletableFuture<SendResult> asyncSend(String destination, Message<?> message, Duration timeout) {
        return async(destination, message, timeout, null, null, null);
    }

    public CompletableFuture<SendResult> asyncSendOrderly(String destination, Object payload, String hashKey) {
        return failFast(() -> async(destination, payload, null, requireKey(hashKey), null, null));
    }

    public CompletableFuture<SendResult> asyncSendOrderly(String destination, Object payload, String hashKey,
                                                          Duration timeout) {
        return failFast(() -> async(destination, payload, timeout, requireKey(hashKey), null, null));
    }

    public CompletableFuture<SendResult> asyncSendDelayed(String destination, Object payload, Duration delay) {
        return failFast(() -> async(destination, payload, null, null, requireDelay(delay), null));
    }

    public CompletableFuture<SendResult> asyncSendAt(String destination, Object payload, Instant deliverAt) {
        return failFast(() -> async(destination, payload, null, null, null, requireDeliverAt(deliverAt)));
    }

    public CompletableFuture<SendResult> asyncSend(String destination, Collection<?> payloads) {
        return asyncSend(destination, payloads, null);
    }

    public CompletableFuture<SendResult> asyncSend(String destination, Collection<?> payloads,
                                                   @Nullable Duration timeout) {
        List<dev.mq.core.Message> batch;
        try {
            batch = batch(destination, payloads);
        } catch (MQException e) {
            return CompletableFuture.failedFuture(e);
        }
        SendObserver.Scope scope = observer.start(batch.get(0).topic(), "async", new LinkedHashMap<>());
        CompletableFuture<SendResult> future = timeout == null ? producer.sendAsync(batch)
                : producer.sendAsync(batch, timeout);
        return observed(future, scope);
    }

    // ---- oneway ----

    public void sendOneWay(String destination, Object payload) {
        oneway(destination, payload, null, null, null);
    }

    public void sendOneWay(String destination, Message<?> message) {
        oneway(destination, message, null, null, null);
    }

    /**
     * Oneway, in its turn among the orderly sends of {@code hashKey}: returns at once, and is written
     * after the earlier sends of that key have had their outcome (see {@code Producer.sendOneway}).
     */
    public void sendOneWayOrderly(String destination, Object payload, String hashKey) {
        oneway(destination, payload, requireKey(hashKey), null, null);
    }

    public void sendOneWayDelayed(String destination, Object payload, Duration delay) {
        oneway(destination, payload, null, requireDelay(delay), null);
    }

    public void sendOneWayAt(String destination, Object payload, Instant deliverAt) {
        oneway(destination, payload, null, null, requireDeliverAt(deliverAt));
    }

    // ---- the three modes ----

    private SendResult sync(String destination, Object payload, @Nullable Duration timeout, @Nullable String hashKey,
                            @Nullable Duration delay, @Nullable Instant deliverAt) {
        Map<String, String> carrier = new LinkedHashMap<>();
        Destination d = Destination.parse(destination);
        SendObserver.Scope scope = observer.start(d.topic(), "sync", carrier);
        try {
            dev.mq.core.Message message = toMessage(d, payload, delay, deliverAt, carrier);
            SendResult result;
            if (hashKey != null) {
                result = timeout == null ? producer.send(message, QueueSelectors.hash(), hashKey)
                        : producer.send(message, QueueSelectors.hash(), hashKey, timeout);
            } else {
                result = timeout == null ? producer.send(message) : producer.send(message, timeout);
            }
            scope.success();
            return result;
        } catch (RuntimeException e) {
            scope.failure(e);
            throw e;
        }
    }

    private CompletableFuture<SendResult> async(String destination, Object payload, @Nullable Duration timeout,
                                                @Nullable String hashKey, @Nullable Duration delay,
                                                @Nullable Instant deliverAt) {
        Map<String, String> carrier = new LinkedHashMap<>();
        SendObserver.Scope scope = SendObserver.Scope.NONE;
        try {
            Destination d = Destination.parse(destination);
            scope = observer.start(d.topic(), "async", carrier);
            dev.mq.core.Message message = toMessage(d, payload, delay, deliverAt, carrier);
            CompletableFuture<SendResult> future;
            if (hashKey != null) {
                future = timeout == null ? producer.sendAsync(message, QueueSelectors.hash(), hashKey)
                        : producer.sendAsync(message, QueueSelectors.hash(), hashKey, timeout);
            } else {
                future = timeout == null ? producer.sendAsync(message) : producer.sendAsync(message, timeout);
            }
            return observed(future, scope);
        } catch (MQException e) {
            scope.failure(e);
            return CompletableFuture.failedFuture(e);
        }
    }

    private void oneway(String destination, Object payload, @Nullable String hashKey, @Nullable Duration delay,
                        @Nullable Instant deliverAt) {
        Map<String, String> carrier = new LinkedHashMap<>();
        Destination d = Destination.parse(destination);
        SendObserver.Scope scope = observer.start(d.topic(), "oneway", carrier);
        try {
            dev.mq.core.Message message = toMessage(d, payload, delay, deliverAt, carrier);
            if (hashKey != null) {
                producer.sendOneway(message, QueueSelectors.hash(), hashKey);
            } else {
                producer.sendOneway(message);
            }
            scope.success();
        } catch (RuntimeException e) {
            scope.failure(e);
            throw e;
        }
    }

    /** Async sends report bad arguments through the future, like every other failure. */
    private static CompletableFuture<SendResult> failFast(Supplier<CompletableFuture<SendResult>> send) {
        try {
            return send.get();
        } catch (MQException e) {
            return CompletableFuture.failedFuture(e);
        }
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

    private List<dev.mq.core.Message> batch(String destination, Collection<?> payloads) {
        if (payloads == null || payloads.isEmpty()) {
            throw MQException.validation("a batch needs at least one payload");
        }
        Destination d = Destination.parse(destination);
        List<dev.mq.core.Message> batch = new ArrayList<>(payloads.size());
        for (Object payload : payloads) {
            batch.add(toMessage(d, payload, null, null, Map.of()));
        }
        return batch;
    }

    private dev.mq.core.Message toMessage(Destination destination, Object payload, @Nullable Duration delay,
                                          @Nullable Instant deliverAt, Map<String, String> extraProperties) {
        if (payload == null) {
            throw MQException.validation("payload must not be null (destination '" + destination.topic() + "')");
        }
        dev.mq.core.Message.Builder builder = dev.mq.core.Message.builder(destination.topic()).tags(destination.tags());
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
        extraProperties.forEach(builder::property);
        return builder.build();
    }

    private static String requireKey(String hashKey) {
        if (hashKey == null) {
            throw MQException.validation("hash key is null: an orderly send needs a non-null hash key");
        }
        return hashKey;
    }

    private static Instant requireDeliverAt(Instant deliverAt) {
        if (deliverAt == null) {
            throw MQException.validation("deliverAt is null: a scheduled send needs a delivery time");
        }
        return deliverAt;
    }

    private static Duration requireDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw MQException.validation("delay must be zero or positive, got " + delay);
        }
        return delay;
    }
}
