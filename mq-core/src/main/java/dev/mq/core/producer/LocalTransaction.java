package dev.mq.core.producer;

import dev.mq.core.SendResult;

/**
 * The application's side of a transactional send, run by {@link Producer#sendInTransaction} on the
 * caller's thread once the half message is stored and before it is committed or rolled back.
 */
@FunctionalInterface
public interface LocalTransaction {

    /**
     * @param half what the broker answered for the half message; {@link SendResult#messageId()} is the
     *             transaction id, worth storing with the local transaction so a checker can find it
     * @return COMMIT or ROLLBACK, or UNKNOWN to leave the decision to the group's {@link TransactionChecker}
     * @throws Exception the message then stays UNKNOWN and the exception reaches the caller
     */
    TransactionState execute(SendResult half) throws Exception;
}
