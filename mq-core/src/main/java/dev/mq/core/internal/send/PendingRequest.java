package dev.mq.core.internal.send;

import dev.mq.core.MQException;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.internal.client.ReplyRouter;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request waiting for its reply: registered with the client's {@link ReplyRouter} under its
 * correlation id before the request is sent, with one timer at its deadline (counted from the call).
 * Whatever comes first — the reply, the deadline, a failed send, the producer's close — ends it once:
 * it leaves the router and the producer's pending set, gives back its place under the producer's cap,
 * and completes the caller's future on the callback executor.
 */
final class PendingRequest implements ReplyRouter.Waiter, TimerTask {

    private static final Logger log = LoggerFactory.getLogger(PendingRequest.class);

    private final DefaultProducer producer;
    private final String topic;
    private final String correlationId;
    private final long timeoutMillis;
    private final CompletableFuture<ReceivedMessage> future = new CompletableFuture<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile @Nullable Timeout timer;

    PendingRequest(DefaultProducer producer, String topic, String correlationId, long timeoutMillis) {
        this.producer = producer;
        this.topic = topic;
        this.correlationId = correlationId;
        this.timeoutMillis = timeoutMillis;
    }

    String correlationId() {
        return correlationId;
    }

    CompletableFuture<ReceivedMessage> future() {
        return future;
    }

    boolean isDone() {
        return done.get();
    }

    /** Arms the deadline; a request that ended meanwhile cancels it at once. */
    void timer(Timeout timeout) {
        this.timer = timeout;
        if (done.get()) {
            timeout.cancel();
        }
    }

    /** The router's thread (the callback executor): the reply arrived. */
    @Override
    public void replied(ReceivedMessage reply) {
        if (!finish(reply, null)) {
            log.debug("reply {} to a request on topic '{}' came after the request ended: dropped", correlationId, topic);
        }
    }

    /** The timer thread: the deadline passed without a reply. */
    @Override
    public void run(Timeout timeout) {
        finish(null, new MQException(MQException.Reason.TIMEOUT, "no reply to the request on topic '" + topic
                + "' (correlation id " + correlationId + ") within " + timeoutMillis + " ms"));
    }

    /** The request failed (its send, its route) or the producer closed. */
    void fail(MQException error) {
        finish(null, error);
    }

    private boolean finish(@Nullable ReceivedMessage reply, @Nullable MQException error) {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        Timeout armed = timer;
        if (armed != null) {
            armed.cancel();
        }
        producer.requestEnded(this);
        producer.runCallback(() -> {
            if (reply != null) {
                future.complete(reply);
            } else {
                future.completeExceptionally(Objects.requireNonNull(error, "a request ends with a reply or an error"));
            }
        });
        return true;
    }
}
