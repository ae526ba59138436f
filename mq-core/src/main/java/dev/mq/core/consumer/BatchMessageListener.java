package dev.mq.core.consumer;

import dev.mq.core.ReceivedMessage;
import java.util.List;

/**
 * Handles up to {@link ConsumerConfig#batchSize()} messages of one queue at once, in queue order.
 * The result says, message by message, what failed: only those are delivered again.
 */
@FunctionalInterface
public interface BatchMessageListener {

    /**
     * Handles {@code messages} (never empty).
     *
     * @return {@link BatchResult#success()}, or which messages to retry; null counts as
     *         {@link BatchResult#retryAll()}
     * @throws Exception any exception counts as {@link BatchResult#retryAll()} (and is logged)
     */
    BatchResult consume(List<ReceivedMessage> messages) throws Exception;
}
