package dev.mq.core.producer;

import dev.mq.core.SendResult;
import java.util.Objects;

/**
 * The outcome of {@link Producer#sendInTransaction}: the half message as stored, and the state the
 * local transaction decided (and the producer sent to the broker).
 *
 * @param state         COMMIT, ROLLBACK, or UNKNOWN (the group's checker decides later)
 * @param transactionId the transaction id: the half message's {@link SendResult#messageId()}
 * @param sendResult    the broker's answer to the half message
 */
public record TransactionResult(TransactionState state, String transactionId, SendResult sendResult) {

    public TransactionResult {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(sendResult, "sendResult");
    }
}
