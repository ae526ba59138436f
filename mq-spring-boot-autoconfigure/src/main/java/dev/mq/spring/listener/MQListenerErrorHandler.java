package dev.mq.spring.listener;

import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.ConsumeResult;

/**
 * Decides what becomes of a message whose {@link MQListener} method threw (or whose
 * {@code CompletionStage} failed). Without one, every failure is a {@link ConsumeResult#RETRY}. A bean
 * of this type applies to every listener when it is the only one; with several, a listener names its
 * own in {@link MQListener#errorHandler()}.
 *
 * <pre>{@code
 * @Bean
 * MQListenerErrorHandler errors() {
 *     return (listenerId, message, error) -> error instanceof IllegalArgumentException
 *             ? ConsumeResult.DEAD_LETTER : ConsumeResult.RETRY;
 * }
 * }</pre>
 */
@FunctionalInterface
public interface MQListenerErrorHandler {

    /**
     * Runs on the handler thread (for an asynchronous listener, where its stage failed).
     *
     * @param listenerId the container's id
     * @param message    the message that failed (for a batch listener, each message of the batch in turn)
     * @param error      what the method threw, unwrapped from reflection and completion wrappers
     * @return {@link ConsumeResult#RETRY} to have it delivered again after the next delay level (and
     *         dead-lettered after {@link MQListener#maxReconsumeTimes()}), {@link ConsumeResult#DEAD_LETTER}
     *         to dead-letter it at once, {@link ConsumeResult#SUCCESS} to skip it (it counts as consumed)
     * @throws Exception counts as {@link ConsumeResult#RETRY}
     */
    ConsumeResult handle(String listenerId, ReceivedMessage message, Throwable error) throws Exception;
}
