package dev.mq.core.producer;

import dev.mq.core.Message;
import dev.mq.core.MessageQueue;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the queue of an orderly send. Sends that pick the same queue are stored in the order
 * they reach the broker; a send with a selector is never moved to another queue by fault tolerance
 * or retried elsewhere.
 */
@FunctionalInterface
public interface QueueSelector {

    /**
     * @param queues  the topic's writable queues, in a stable order (by broker name, then queue id)
     * @param message the message being sent
     * @param arg     the argument given to the send call (for example a hash key)
     * @return one of {@code queues}
     */
    MessageQueue select(List<MessageQueue> queues, Message message, @Nullable Object arg);

    /**
     * Refuses an argument this selector can never use, before any I/O: the send then fails at once with
     * {@code VALIDATION} instead of after a route lookup. Runs on the caller's thread. Accepts anything
     * by default.
     *
     * @throws dev.mq.core.MQException VALIDATION for an unusable {@code arg}
     */
    default void checkArgument(@Nullable Object arg) {
    }
}
