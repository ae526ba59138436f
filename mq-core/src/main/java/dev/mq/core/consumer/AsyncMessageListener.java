package dev.mq.core.consumer;

import dev.mq.core.ReceivedMessage;
import java.util.concurrent.CompletionStage;

/**
 * Handles one message without holding a thread while it waits: the handler starts the work and
 * returns a stage that completes with the outcome. Up to {@link ConsumerConfig#concurrency()}
 * stages are outstanding at once; a new message is handed over when one completes.
 */
@FunctionalInterface
public interface AsyncMessageListener {

    /**
     * Starts handling {@code message}, on one of the consumer's handler threads.
     *
     * @return completes with the outcome; a stage that fails (or a null stage or result) counts as
     *         {@link ConsumeResult#RETRY}
     */
    CompletionStage<ConsumeResult> consume(ReceivedMessage message);
}
