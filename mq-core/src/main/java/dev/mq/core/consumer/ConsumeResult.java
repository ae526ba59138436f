package dev.mq.core.consumer;

/** What a listener decided about one message. */
public enum ConsumeResult {

    /** Handled: the message counts as consumed and its queue's offset may move past it. */
    SUCCESS,

    /**
     * Not handled now: the message is delivered again later. In clustering mode it goes back to the
     * broker, which re-delivers it through the group's retry topic after the next delay level (10 s,
     * 30 s, 1 min, ...), and to the group's dead-letter topic {@code %DLQ%<group>} once it has been
     * re-delivered {@link ConsumerConfig#maxReconsumeTimes()} times. An orderly consumer retries it
     * locally, in place, keeping the queue's order. A broadcasting consumer cannot hand a message
     * back to the broker: it logs the failure and moves on.
     */
    RETRY,

    /**
     * Never deliverable (a poison message): sent straight to the group's dead-letter topic, with no
     * further retries. A broadcasting consumer logs it and moves on, as for {@link #RETRY}.
     */
    DEAD_LETTER
}
