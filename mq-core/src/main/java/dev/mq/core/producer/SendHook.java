package dev.mq.core.producer;

/**
 * Observes sends, once per attempt: {@link #beforeSend} when an attempt is about to be written and
 * {@link #afterSend} exactly once when its outcome is known (a result or an error). Metrics,
 * tracing and logging are built on it.
 *
 * <p>Hooks run on the caller's thread or on the producer's callback executor — never on a Netty
 * event loop — and should be quick: a slow hook delays the completion of the send it observes.
 * An exception thrown by a hook is logged and otherwise ignored.
 */
public interface SendHook {

    /** An attempt is about to be sent. {@link SendContext#result()} and {@link SendContext#error()} are null. */
    default void beforeSend(SendContext context) {
    }

    /**
     * The attempt ended. Exactly one of {@link SendContext#result()} and {@link SendContext#error()}
     * is set — for oneway sends too, whose outcome (the broker's answer) only hooks see.
     * {@link SendContext#isFinalAttempt()} tells whether this outcome is what the caller receives.
     */
    default void afterSend(SendContext context) {
    }
}
