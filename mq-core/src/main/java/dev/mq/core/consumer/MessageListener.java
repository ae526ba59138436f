package dev.mq.core.consumer;

import dev.mq.core.ReceivedMessage;

/**
 * Handles one message at a time, on one of the consumer's handler threads (never on a network
 * thread). Up to {@link ConsumerConfig#concurrency()} messages are handled at once; an orderly
 * consumer hands one queue's messages over one at a time, in queue order.
 */
@FunctionalInterface
public interface MessageListener {

    /**
     * Handles {@code message}.
     *
     * @return {@link ConsumeResult#SUCCESS}, or {@link ConsumeResult#RETRY} to have it delivered
     *         again later, or {@link ConsumeResult#DEAD_LETTER}; null counts as RETRY
     * @throws Exception any exception counts as {@link ConsumeResult#RETRY} (and is logged)
     */
    ConsumeResult consume(ReceivedMessage message) throws Exception;
}
