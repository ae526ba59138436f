package dev.mq.core.producer;

import dev.mq.core.ReceivedMessage;

/**
 * Answers a broker's check-back on a transactional message whose end it never received (the
 * producer crashed, the end was lost, or the local transaction returned {@link TransactionState#UNKNOWN}).
 * The broker asks any live producer of the group, so the answer must come from shared state — the
 * database the local transaction wrote to — not from this process's memory.
 *
 * <p>Runs on the client's callback executor, never on an event loop; concurrent checks of one
 * transaction run once. An exception answers nothing: the broker asks again at its next interval.
 */
@FunctionalInterface
public interface TransactionChecker {

    /**
     * @param half the half message as the broker stored it; its {@link ReceivedMessage#messageId()} is
     *             the transaction id
     * @return the transaction's state now
     */
    TransactionState check(ReceivedMessage half) throws Exception;
}
