package dev.mq.core.producer;

import dev.mq.core.MessageQueue;
import dev.mq.core.SendResult;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One send attempt as {@link SendHook}s see it. Immutable: {@code afterSend} receives a new
 * instance carrying the outcome.
 */
public final class SendContext {

    private final String producerGroup;
    private final String topic;
    private final SendMode mode;
    private final int attempt;
    private final int messageCount;
    private final long messageBytes;
    private final @Nullable MessageQueue queue;
    private final @Nullable String brokerAddress;
    private final long attemptNanos;
    private final long totalNanos;
    private final boolean finalAttempt;
    private final @Nullable SendResult result;
    private final @Nullable Throwable error;

    public SendContext(String producerGroup, String topic, SendMode mode, int attempt, int messageCount, long messageBytes,
                @Nullable MessageQueue queue, @Nullable String brokerAddress, long attemptNanos, long totalNanos,
                boolean finalAttempt, @Nullable SendResult result, @Nullable Throwable error) {
        this.producerGroup = producerGroup;
        this.topic = topic;
        this.mode = mode;
        this.attempt = attempt;
        this.messageCount = messageCount;
        this.messageBytes = messageBytes;
        this.queue = queue;
        this.brokerAddress = brokerAddress;
        this.attemptNanos = attemptNanos;
        this.totalNanos = totalNanos;
        this.finalAttempt = finalAttempt;
        this.result = result;
        this.error = error;
    }

    public String producerGroup() {
        return producerGroup;
    }

    public String topic() {
        return topic;
    }

    public SendMode mode() {
        return mode;
    }

    /** 1 for the first attempt, 2 for the first retry, ... */
    public int attempt() {
        return attempt;
    }

    /** 1, or the number of messages in a batch. */
    public int messageCount() {
        return messageCount;
    }

    /** Body bytes of the message(s) as given by the user, before compression. */
    public long messageBytes() {
        return messageBytes;
    }

    /** The queue chosen for this attempt; null if the attempt failed before one was chosen. */
    public @Nullable MessageQueue queue() {
        return queue;
    }

    /** The broker name of {@link #queue()}, or null. */
    public @Nullable String brokerName() {
        return queue == null ? null : queue.brokerName();
    }

    /** The broker address written to, or null. */
    public @Nullable String brokerAddress() {
        return brokerAddress;
    }

    /** Time this attempt took (zero in {@code beforeSend}). */
    public Duration attemptElapsed() {
        return Duration.ofNanos(attemptNanos);
    }

    /** Time since the caller called send (covers route lookup, backpressure waits and earlier attempts). */
    public Duration totalElapsed() {
        return Duration.ofNanos(totalNanos);
    }

    /** Whether the caller receives this attempt's outcome (no retry follows). */
    public boolean isFinalAttempt() {
        return finalAttempt;
    }

    /** The result, in {@code afterSend} of a successful attempt; otherwise null. */
    public @Nullable SendResult result() {
        return result;
    }

    /** The error, in {@code afterSend} of a failed attempt; otherwise null. */
    public @Nullable Throwable error() {
        return error;
    }

    @Override
    public String toString() {
        return "SendContext[group=" + producerGroup + ", topic=" + topic + ", mode=" + mode + ", attempt=" + attempt
                + ", queue=" + queue + ", final=" + finalAttempt + ", error=" + error + "]";
    }
}
