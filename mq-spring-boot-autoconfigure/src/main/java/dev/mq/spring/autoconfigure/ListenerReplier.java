package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.SendResult;
import dev.mq.core.producer.Producer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an {@code @MQListener} method's return value as the reply to the request it handled. A reply
 * the broker does not take (it could not reach the requester, a connection failed) is sent again,
 * with a growing pause, while the request's time to live lasts (its born time plus its TTL: after
 * that the requester has stopped waiting); one that still failed is logged as an error and counted
 * ({@code mq.listener.reply.failures}) — never dropped silently. The request itself counts as
 * consumed either way: sending it again would not bring its requester back.
 */
final class ListenerReplier {

    private static final Logger log = LoggerFactory.getLogger(ListenerReplier.class);
    static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    static final Duration MAX_PAUSE = Duration.ofSeconds(1);

    private final Supplier<Producer> producer;
    private final MQPayloadConverter converter;
    private final RequestReplyMetrics metrics;

    /** @param producer the producer replies go through, asked for at the first reply */
    ListenerReplier(Supplier<Producer> producer, MQPayloadConverter converter, RequestReplyMetrics metrics) {
        this.producer = producer;
        this.converter = converter;
        this.metrics = metrics;
    }

    /**
     * Replies to {@code request} with {@code value}; the future completes (never exceptionally) with
     * whether the broker took the reply.
     */
    CompletableFuture<Boolean> reply(String listenerId, String group, ReceivedMessage request, Object value) {
        Message reply;
        try {
            MQPayloadConverter.Body body = converter.toBody(value);
            Message.Builder builder = Message.builder(request.topic()).body(body.bytes());
            if (body.contentType() != null) {
                builder.property(MQPayloadConverter.CONTENT_TYPE_PROPERTY, body.contentType());
            }
            reply = builder.build();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(gaveUp(listenerId, group, request, 0, e));
        }
        Duration ttl = request.requestTtl();
        long expiresAt = ttl == null ? 0 : request.bornTimestamp() + ttl.toMillis();
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        attempt(listenerId, group, request, reply, expiresAt, 1, done);
        return done;
    }

    private void attempt(String listenerId, String group, ReceivedMessage request, Message reply, long expiresAt,
                         int attempt, CompletableFuture<Boolean> done) {
        CompletableFuture<SendResult> sent;
        try {
            sent = producer.get().reply(request, reply);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((result, error) -> {
            try {
                settle(listenerId, group, request, reply, expiresAt, attempt, done, error);
            } catch (RuntimeException | Error e) { // whatever happens, the handler waiting on done is released
                done.complete(gaveUp(listenerId, group, request, attempt, e));
            }
        });
    }

    private void settle(String listenerId, String group, ReceivedMessage request, Message reply, long expiresAt,
                        int attempt, CompletableFuture<Boolean> done, @Nullable Throwable error) {
        Throwable failure = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                : error;
        if (failure == null) {
            done.complete(true);
            return;
        }
        long pause = Math.min(FIRST_PAUSE.toMillis() << Math.min(attempt - 1, 10), MAX_PAUSE.toMillis());
        boolean retryable = !(failure instanceof MQException mq && (mq.reason() == MQException.Reason.VALIDATION
                || mq.reason() == MQException.Reason.SHUTDOWN));
        if (retryable && System.currentTimeMillis() + pause < expiresAt) {
            log.debug("@MQListener {}: reply to {} failed (attempt {}), trying again in {} ms: {}", listenerId,
                    request.correlationId(), attempt, pause, failure.toString());
            Executor later = CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS);
            later.execute(() -> attempt(listenerId, group, request, reply, expiresAt, attempt + 1, done));
        } else {
            done.complete(gaveUp(listenerId, group, request, attempt, failure));
        }
    }

    private boolean gaveUp(String listenerId, String group, ReceivedMessage request, int attempts,
                           @Nullable Throwable failure) {
        metrics.failedReply(request.topic(), group);
        if (attempts == 0) {
            log.error("@MQListener {}: the value returned for request {} (message {} of {}) cannot be converted"
                    + " into a reply; the requester will time out", listenerId, request.correlationId(),
                    request.messageId(), request.topic(), failure);
        } else {
            log.error("@MQListener {}: the reply to request {} (message {} of {}) was not delivered after {}"
                    + " attempt(s) within the request's time to live; the requester will time out", listenerId,
                    request.correlationId(), request.messageId(), request.topic(), attempts, failure);
        }
        return false;
    }
}
