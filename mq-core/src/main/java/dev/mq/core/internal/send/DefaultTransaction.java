package dev.mq.core.internal.send;

import dev.mq.core.MQException;
import dev.mq.core.SendResult;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.StoredMessage;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.internal.transport.ResponseCallback;
import dev.mq.core.producer.Transaction;
import dev.mq.core.producer.TransactionState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stored half message and the one END_TRANSACTION that ends it. The first end (commit, rollback,
 * or the UNKNOWN of a failed local transaction) is the only one written; later calls return its future.
 */
final class DefaultTransaction implements Transaction {

    private static final Logger log = LoggerFactory.getLogger(DefaultTransaction.class);

    private final DefaultProducer producer;
    private final SendResult half;
    private final String wireTopic;
    private final AtomicReference<@Nullable Ended> ended = new AtomicReference<>();

    private record Ended(TransactionState state, CompletableFuture<Void> written) {
    }

    DefaultTransaction(DefaultProducer producer, SendResult half, String wireTopic) {
        this.producer = producer;
        this.half = half;
        this.wireTopic = wireTopic;
    }

    @Override
    public String transactionId() {
        return half.messageId();
    }

    @Override
    public SendResult sendResult() {
        return half;
    }

    @Override
    public CompletableFuture<Void> commit() {
        return end(TransactionState.COMMIT);
    }

    @Override
    public CompletableFuture<Void> rollback() {
        return end(TransactionState.ROLLBACK);
    }

    @Override
    public TransactionState state() {
        Ended e = ended.get();
        return e == null ? TransactionState.UNKNOWN : e.state();
    }

    /** Ends the transaction with {@code state} unless it already ended; the first end's future either way. */
    CompletableFuture<Void> end(TransactionState state) {
        Ended mine = new Ended(state, new CompletableFuture<>());
        Ended first = ended.compareAndExchange(null, mine);
        if (first != null) {
            return first.written();
        }
        producer.countTransaction(state);
        mine.written().whenComplete((ignored, error) -> {
            if (error != null) { // nobody may be waiting on it (sendInTransaction returns at once): say it here
                log.warn("{} of transaction {} not written: {}; the broker's check-back decides", state,
                        transactionId(), error.getMessage());
            }
        });
        write(state, mine.written());
        return mine.written();
    }

    private void write(TransactionState state, CompletableFuture<Void> written) {
        String brokerName = half.queue().brokerName();
        // A two-step transaction may end after its topic left the route cache: any route naming the broker serves.
        String master = producer.routes().masterAddress(wireTopic, brokerName);
        String offsetId = half.offsetMessageId();
        if (master == null || offsetId == null) {
            written.completeExceptionally(new MQException(MQException.Reason.NO_ROUTE, "transaction "
                    + transactionId() + ": " + (master == null ? "broker " + brokerName + " has no master now"
                    : "the half message's answer carried no offset message id") + "; the check-back decides"));
            return;
        }
        long commitLogOffset;
        try {
            commitLogOffset = StoredMessage.commitLogOffset(offsetId);
        } catch (IllegalArgumentException e) {
            written.completeExceptionally(new MQException(MQException.Reason.BROKER_REJECTED, "transaction "
                    + transactionId() + ": " + e.getMessage() + "; the check-back decides", e));
            return;
        }
        EndTransactionHeader header = new EndTransactionHeader(producer.wireGroup(), half.queueOffset(),
                commitLogOffset, state, false, half.messageId(), half.transactionId(), wireTopic, brokerName);
        sendEnd(producer, master, header, written);
    }

    /** Writes END_TRANSACTION oneway to {@code address}; {@code written} completes once it is on the wire. */
    static void sendEnd(DefaultProducer producer, String address, EndTransactionHeader header,
                        CompletableFuture<Void> written) {
        long deadline = producer.clock().nanoTime() + producer.config().sendTimeout().toNanos();
        producer.remoting().invoke(address, OutboundFrame.oneway(RequestCode.END_TRANSACTION, header, null), deadline,
                new ResponseCallback() {
                    @Override
                    public void onResponse(@Nullable RemotingCommand response) {
                        // Off the event loop: whatever the caller chained on the future runs there.
                        producer.runCallback(() -> written.complete(null));
                    }

                    @Override
                    public void onFailure(MQException error) {
                        producer.runCallback(() -> written.completeExceptionally(error));
                    }
                });
    }

    @Override
    public String toString() {
        return "Transaction[id=" + transactionId() + ", state=" + state() + ", queue=" + half.queue() + "]";
    }
}
