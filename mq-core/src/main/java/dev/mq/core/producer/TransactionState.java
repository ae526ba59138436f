package dev.mq.core.producer;

/** How a transactional message ends: delivered, discarded, or not known yet (the broker asks again later). */
public enum TransactionState {

    /** The local transaction committed: the message becomes visible to consumers. */
    COMMIT,

    /** The local transaction rolled back: the message is discarded and never delivered. */
    ROLLBACK,

    /**
     * Not known yet: the message stays invisible and the broker asks the producer group's
     * {@link TransactionChecker} again at its next check interval (until its check limit).
     */
    UNKNOWN
}
