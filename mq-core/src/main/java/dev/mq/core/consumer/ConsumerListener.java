package dev.mq.core.consumer;

import java.util.Objects;

/**
 * The handler of a {@link PushConsumer}, in one of its three forms. A plain {@link MessageListener}
 * can be given to {@code newPushConsumer} directly; the batch and asynchronous forms are wrapped
 * here, which keeps a lambda's form unambiguous:
 *
 * <pre>{@code
 * client.newPushConsumer(config, ConsumerListener.batch(messages -> BatchResult.success()));
 * client.newPushConsumer(config, ConsumerListener.async(message -> handleAsync(message)));
 * }</pre>
 */
public final class ConsumerListener {

    /** Which form a listener has. */
    public enum Kind {
        /** A {@link MessageListener}. */
        MESSAGE,
        /** A {@link BatchMessageListener}. */
        BATCH,
        /** An {@link AsyncMessageListener}. */
        ASYNC
    }

    private final Kind kind;
    private final Object listener;

    private ConsumerListener(Kind kind, Object listener) {
        this.kind = kind;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Handles one message at a time. */
    public static ConsumerListener of(MessageListener listener) {
        return new ConsumerListener(Kind.MESSAGE, listener);
    }

    /** Handles up to {@link ConsumerConfig#batchSize()} messages of one queue at a time. */
    public static ConsumerListener batch(BatchMessageListener listener) {
        return new ConsumerListener(Kind.BATCH, listener);
    }

    /** Handles one message at a time without holding a thread while it waits. */
    public static ConsumerListener async(AsyncMessageListener listener) {
        return new ConsumerListener(Kind.ASYNC, listener);
    }

    public Kind kind() {
        return kind;
    }

    /** The listener of a {@link Kind#MESSAGE} form. @throws IllegalStateException for another form */
    public MessageListener messageListener() {
        return as(Kind.MESSAGE, MessageListener.class);
    }

    /** The listener of a {@link Kind#BATCH} form. @throws IllegalStateException for another form */
    public BatchMessageListener batchListener() {
        return as(Kind.BATCH, BatchMessageListener.class);
    }

    /** The listener of a {@link Kind#ASYNC} form. @throws IllegalStateException for another form */
    public AsyncMessageListener asyncListener() {
        return as(Kind.ASYNC, AsyncMessageListener.class);
    }

    private <T> T as(Kind expected, Class<T> type) {
        if (kind != expected) {
            throw new IllegalStateException("a " + kind + " listener is not a " + expected + " listener");
        }
        return type.cast(listener);
    }

    @Override
    public String toString() {
        return "ConsumerListener[" + kind + ", " + listener + "]";
    }
}
