package dev.mq.core.consumer;

import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** What a {@link ConsumeHook} sees of one message's handling. */
public interface ConsumeContext {

    /** The consumer group (without a namespace). */
    String group();

    /** The message being handled. */
    ReceivedMessage message();

    /** The queue it came from (for a retried message, the group's retry queue). */
    default MessageQueue queue() {
        return message().queue();
    }

    /** How often it was delivered before (0 on the first delivery). */
    default int reconsumeTimes() {
        return message().reconsumeTimes();
    }

    /** The outcome, or null before the listener has run. */
    @Nullable ConsumeResult result();

    /** What the listener threw (or its stage failed with), or null. */
    @Nullable Throwable error();

    /** How long the listener took (zero before it has run). */
    Duration handlerTime();

    /**
     * Hooks may keep per-message state here between {@code beforeConsume} and {@code afterConsume}
     * (a timer sample, a span); null when nothing was stored.
     */
    @Nullable Object attachment();

    /** Stores a value that {@link #attachment()} returns in {@code afterConsume}. */
    void attach(@Nullable Object value);
}
