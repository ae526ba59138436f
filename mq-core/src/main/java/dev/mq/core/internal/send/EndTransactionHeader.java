package dev.mq.core.internal.send;

import dev.mq.core.internal.transport.CommandHeader;
import dev.mq.core.internal.transport.HeaderWriter;
import dev.mq.core.producer.TransactionState;
import org.jspecify.annotations.Nullable;

/**
 * The END_TRANSACTION header (§9.2): which half message (its half-queue offset, commit-log offset and
 * client id, checked by the broker against what it stored) ends how, for which producer group.
 */
record EndTransactionHeader(String producerGroup, long tranStateTableOffset, long commitLogOffset,
                            TransactionState state, boolean fromTransactionCheck, String msgId,
                            @Nullable String transactionId, @Nullable String topic, @Nullable String brokerName)
        implements CommandHeader {

    /** The broker's code for COMMIT (TransactionCommitType). */
    static final int COMMIT = 8;
    /** The broker's code for ROLLBACK. */
    static final int ROLLBACK = 12;
    /** The broker's code for "not known": it ignores the request and checks back later. */
    static final int UNKNOWN = 0;

    static int code(TransactionState state) {
        return switch (state) {
            case COMMIT -> COMMIT;
            case ROLLBACK -> ROLLBACK;
            case UNKNOWN -> UNKNOWN;
        };
    }

    @Override
    public void writeTo(HeaderWriter w) {
        w.field("producerGroup", producerGroup);
        w.field("tranStateTableOffset", tranStateTableOffset);
        w.field("commitLogOffset", commitLogOffset);
        w.field("commitOrRollback", code(state));
        w.field("fromTransactionCheck", fromTransactionCheck);
        w.field("msgId", msgId);
        if (transactionId != null) {
            w.field("transactionId", transactionId);
        }
        if (topic != null) {
            w.field("topic", topic);
        }
        if (brokerName != null) {
            w.field("bname", brokerName);
        }
    }
}
