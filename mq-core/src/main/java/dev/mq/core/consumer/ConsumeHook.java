package dev.mq.core.consumer;

/**
 * Observes consumption, once per message: {@link #beforeConsume} when a message is handed to the
 * listener and {@link #afterConsume} exactly once when its outcome is known. Metrics, tracing and
 * logging are built on it. A batch listener's messages each get both calls, with the batch's timing.
 *
 * <p>Hooks run on the handler thread, around the listener (for an asynchronous listener,
 * {@code afterConsume} runs where its stage completed), and should be quick. An exception thrown by
 * a hook is logged and otherwise ignored.
 */
public interface ConsumeHook {

    /** A message is about to be handled. {@link ConsumeContext#result()} is null. */
    default void beforeConsume(ConsumeContext context) {
    }

    /** The message was handled: {@link ConsumeContext#result()} is set, and {@link ConsumeContext#error()} if it threw. */
    default void afterConsume(ConsumeContext context) {
    }
}
