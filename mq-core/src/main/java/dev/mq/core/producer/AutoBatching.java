package dev.mq.core.producer;

import dev.mq.core.ConfigException;
import dev.mq.core.internal.protocol.Validation;
import java.time.Duration;
import java.util.Objects;

/**
 * Whether and how a producer coalesces asynchronous sends into {@code SEND_BATCH_MESSAGE} requests.
 *
 * <p>With auto-batching a queue has at most one send request in flight. A message whose queue is
 * idle leaves at once, alone; messages that arrive while the queue's request is in flight wait for
 * its answer and then leave together, as one batch of at most {@link #maxMessages()} messages and
 * {@link #maxBytes()} bytes. The broker stores the batch with one append, which is where the speed
 * comes from. Every caller still gets its own {@link dev.mq.core.SendResult}: its own message id,
 * offset message id and queue offset. A batch succeeds or fails as a whole; on a retryable failure
 * each of its messages is retried on its own (and may join another batch), within its own deadline.
 *
 * <ul>
 *   <li>{@link #off()} (the default): every send is its own request.</li>
 *   <li>{@link #whenBusy()}: adds no latency. No message waits for a timer; a message waits only
 *       while its queue is busy, for as long as the request before it takes.</li>
 *   <li>{@link #linger(Duration)}: a message to an idle queue also waits, up to the linger time,
 *       for others to join it (or until the batch is full). Larger batches, more latency.</li>
 * </ul>
 *
 * <p>Only asynchronous and oneway sends of one message are batched. Orderly ones, which already
 * wait for their queue's previous send, leave together in their order (the linger time does not
 * apply to them); a send that cannot join leaves on its own after the batch ahead of it. Sync sends,
 * explicit batches, delayed messages and bodies large enough to be compressed always travel alone.
 *
 * <pre>{@code
 * ProducerConfig.builder().group("orders").autoBatching(AutoBatching.whenBusy()).build();
 * }</pre>
 *
 * <p>A refused value throws a {@link ConfigException} naming {@code autoBatching.linger},
 * {@code autoBatching.maxBytes} or {@code autoBatching.maxMessages}.
 */
public final class AutoBatching {

    /** Default cap on one batch's encoded size: 256 KiB. */
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;
    /** Default cap on the number of messages in one batch. */
    public static final int DEFAULT_MAX_MESSAGES = 512;

    private static final AutoBatching OFF = new AutoBatching(false, Duration.ZERO, DEFAULT_MAX_BYTES,
            DEFAULT_MAX_MESSAGES);

    private final boolean enabled;
    private final Duration linger;
    private final int maxBytes;
    private final int maxMessages;

    private AutoBatching(boolean enabled, Duration linger, int maxBytes, int maxMessages) {
        this.enabled = enabled;
        this.linger = linger;
        this.maxBytes = maxBytes;
        this.maxMessages = maxMessages;
    }

    /** No auto-batching: every send is its own request. */
    public static AutoBatching off() {
        return OFF;
    }

    /** Batches only what waits behind a queue's request in flight: no added latency. */
    public static AutoBatching whenBusy() {
        return new AutoBatching(true, Duration.ZERO, DEFAULT_MAX_BYTES, DEFAULT_MAX_MESSAGES);
    }

    /**
     * As {@link #whenBusy()}, and a message to an idle queue waits up to {@code linger} for others.
     * {@code linger} zero is {@link #whenBusy()}.
     */
    public static AutoBatching linger(Duration linger) {
        Validation.checkTimeoutSetting("autoBatching.linger", "auto-batching linger", linger, true);
        return new AutoBatching(true, linger, DEFAULT_MAX_BYTES, DEFAULT_MAX_MESSAGES);
    }

    /** The same settings with another cap on a batch's encoded size (bodies, properties, 22 bytes per message). */
    public AutoBatching maxBytes(int bytes) {
        if (bytes <= 0) {
            throw new ConfigException("autoBatching.maxBytes", bytes,
                    "auto-batching max bytes must be positive, got " + bytes);
        }
        return new AutoBatching(enabled, linger, bytes, maxMessages);
    }

    /** The same settings with another cap on the number of messages in a batch (at least 2). */
    public AutoBatching maxMessages(int messages) {
        if (messages < 2) {
            throw new ConfigException("autoBatching.maxMessages", messages,
                    "auto-batching max messages must be at least 2, got " + messages);
        }
        return new AutoBatching(enabled, linger, maxBytes, messages);
    }

    public boolean enabled() {
        return enabled;
    }

    /** How long a message to an idle queue waits for others; zero for {@link #whenBusy()}. */
    public Duration linger() {
        return linger;
    }

    public int maxBytes() {
        return maxBytes;
    }

    public int maxMessages() {
        return maxMessages;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AutoBatching other && enabled == other.enabled && linger.equals(other.linger)
                && maxBytes == other.maxBytes && maxMessages == other.maxMessages;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, linger, maxBytes, maxMessages);
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "AutoBatching[off]";
        }
        return "AutoBatching[" + (linger.isZero() ? "whenBusy" : "linger=" + linger.toMillis() + "ms")
                + ", maxBytes=" + maxBytes + ", maxMessages=" + maxMessages + "]";
    }
}
