package dev.mq.core.producer;

import dev.mq.core.SendResult;
import java.util.concurrent.CompletableFuture;

/**
 * A transactional message whose half is stored and whose end is still to be sent: the two-step form
 * of {@link Producer#sendInTransaction}, for a local transaction that runs elsewhere (a Spring
 * transaction's completion, another thread). Thread-safe.
 *
 * <p>The first of {@link #commit()} and {@link #rollback()} decides; every later call is a no-op
 * that returns the first call's future. Left open (the process crashes, or neither is called), the
 * message stays invisible until the group's {@link TransactionChecker} answers a check-back.
 */
public interface Transaction {

    /** The transaction id: the half message's {@link SendResult#messageId()}. */
    String transactionId();

    /** The broker's answer to the half message. */
    SendResult sendResult();

    /**
     * Sends COMMIT: the message becomes visible. The end is a oneway request, so the future completes
     * once it is written; if it cannot be written (the broker is gone), it fails, and the check-back
     * decides instead.
     */
    CompletableFuture<Void> commit();

    /** Sends ROLLBACK: the message is discarded. Written as {@link #commit()} is. */
    CompletableFuture<Void> rollback();

    /** The state sent so far: UNKNOWN until {@link #commit()} or {@link #rollback()}. */
    TransactionState state();
}
