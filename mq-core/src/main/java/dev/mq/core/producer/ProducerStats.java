package dev.mq.core.producer;

/**
 * A producer's live figures, for metrics and health checks: each call reads the current value. Obtain
 * it with {@link Producer#stats()}; it stays valid (and keeps counting) for the producer's lifetime.
 */
public interface ProducerStats {

    /** Requests in flight: admitted under the producer's cap and not yet answered (oneway ones included). */
    int inFlightRequests();

    /** Message bytes in flight, counted against the producer's in-flight byte cap. */
    long inFlightBytes();

    /** Attempts after the first, since the producer was created. */
    long retries();

    /** Automatic batches of two messages or more written since the producer was created (see {@link AutoBatching}). */
    long autoBatches();

    /**
     * Transactions this producer ended with {@code state} since it was created: the end it wrote for
     * {@link Producer#sendInTransaction} (UNKNOWN when the local transaction returned it or threw) or
     * for {@link Transaction#commit()} / {@link Transaction#rollback()}. Check-backs are counted apart,
     * by {@link #transactionChecks}. Zero for a stats view that does not count them.
     */
    default long transactions(TransactionState state) {
        return 0;
    }

    /**
     * Check-backs of this producer's group answered here with {@code answer} (a checker that threw
     * answers nothing and is not counted). Zero for a stats view that does not count them.
     */
    default long transactionChecks(TransactionState answer) {
        return 0;
    }
}
