package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import dev.mq.core.internal.protocol.Validation;
import dev.mq.core.producer.LocalTransaction;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.QueueSelector;
import dev.mq.core.producer.Transaction;
import dev.mq.core.producer.TransactionResult;
import dev.mq.core.producer.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A producer that validates like the real one and records what it was asked to send. */
class RecordingProducer implements Producer {

    /** Transactions in the order their half messages were "stored", with the end each received. */
    final List<RecordedTransaction> transactions = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** When set, the next half message fails with it instead of being stored. */
    volatile MQException failNextHalf;
    final List<Message> sent = new ArrayList<>();
    final List<String> modes = new ArrayList<>();
    final List<Object> hashKeys = new ArrayList<>();
    final List<Duration> timeouts = new ArrayList<>();

    private SendResult record(String mode, Message m, Object hashKey, Duration timeout) {
        Validation.checkMessage(m, 4 * 1024 * 1024);
        sent.add(m);
        modes.add(mode);
        hashKeys.add(hashKey);
        timeouts.add(timeout);
        return new SendResult(SendStatus.SEND_OK, List.of("ID" + sent.size()), "OFFSET",
                new MessageQueue(m.topic(), "broker-a", 0), sent.size(), null);
    }

    @Override
    public String group() {
        return "recording";
    }

    @Override
    public SendResult send(Message message) {
        return record("sync", message, null, null);
    }

    @Override
    public SendResult send(Message message, Duration timeout) {
        return record("sync", message, null, timeout);
    }

    @Override
    public SendResult send(Message message, QueueSelector selector, Object arg) {
        return record("sync", message, arg, null);
    }

    @Override
    public SendResult send(Message message, QueueSelector selector, Object arg, Duration timeout) {
        return record("sync", message, arg, timeout);
    }

    @Override
    public SendResult send(Collection<Message> batch) {
        SendResult last = null;
        for (Message m : batch) {
            last = record("batch", m, null, null);
        }
        return last;
    }

    @Override
    public SendResult send(Collection<Message> batch, Duration timeout) {
        return send(batch);
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Message message) {
        return CompletableFuture.completedFuture(record("async", message, null, null));
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Message message, Duration timeout) {
        return CompletableFuture.completedFuture(record("async", message, null, timeout));
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Message message, QueueSelector selector, Object arg) {
        return CompletableFuture.completedFuture(record("async", message, arg, null));
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Message message, QueueSelector selector, Object arg,
                                                  Duration timeout) {
        return CompletableFuture.completedFuture(record("async", message, arg, timeout));
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Collection<Message> batch) {
        return CompletableFuture.completedFuture(send(batch));
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Collection<Message> batch, Duration timeout) {
        return CompletableFuture.completedFuture(send(batch));
    }

    @Override
    public void sendOneway(Message message) {
        record("oneway", message, null, null);
    }

    @Override
    public void sendOneway(Message message, QueueSelector selector, Object arg) {
        record("oneway", message, arg, null);
    }

    @Override
    public int inFlightRequests() {
        return 0;
    }

    @Override
    public dev.mq.core.producer.ProducerStats stats() {
        return new dev.mq.core.producer.ProducerStats() {
            @Override
            public int inFlightRequests() {
                return 0;
            }

            @Override
            public long inFlightBytes() {
                return 0;
            }

            @Override
            public long retries() {
                return 0;
            }

            @Override
            public long autoBatches() {
                return 0;
            }
        };
    }

    @Override
    public boolean isRunning() {
        return true;
    }

    @Override
    public void close() {
    }

    @Override
    public TransactionResult sendInTransaction(Message message, LocalTransaction localTransaction) {
        if (localTransaction == null) {
            throw MQException.validation("local transaction is null");
        }
        RecordedTransaction tx = half(message);
        TransactionState state;
        try {
            state = localTransaction.execute(tx.sendResult());
        } catch (Exception e) {
            throw new MQException(MQException.Reason.VALIDATION, "local transaction " + tx.transactionId()
                    + " failed", e);
        }
        if (state == TransactionState.COMMIT) {
            tx.commit();
        } else if (state == TransactionState.ROLLBACK) {
            tx.rollback();
        }
        return new TransactionResult(state, tx.transactionId(), tx.sendResult());
    }

    /** Requests asked for, each with its timeout and the future the test completes with a reply. */
    final List<RecordedRequest> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Replies asked for: the request each answers, and the reply. */
    final List<Map.Entry<ReceivedMessage, Message>> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How many of the next replies fail (with CONNECTION) instead of being "sent". */
    final java.util.concurrent.atomic.AtomicInteger failNextReplies = new java.util.concurrent.atomic.AtomicInteger();

    record RecordedRequest(Message message, Duration timeout, CompletableFuture<ReceivedMessage> reply) {
    }

    @Override
    public CompletableFuture<ReceivedMessage> request(Message message, Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            return CompletableFuture.failedFuture(MQException.validation("request timeout must be positive"));
        }
        Validation.checkMessage(message, 4 * 1024 * 1024);
        RecordedRequest request = new RecordedRequest(message, timeout, new CompletableFuture<>());
        requests.add(request);
        return request.reply();
    }

    @Override
    public CompletableFuture<ReceivedMessage> request(Message message, QueueSelector selector, Object arg,
                                                      Duration timeout) {
        return request(message, timeout);
    }

    @Override
    public CompletableFuture<SendResult> reply(ReceivedMessage request, byte[] body) {
        return reply(request, Message.builder(request.topic()).body(body).build());
    }

    @Override
    public CompletableFuture<SendResult> reply(ReceivedMessage request, Message reply) {
        replies.add(Map.entry(request, reply));
        if (failNextReplies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new MQException(MQException.Reason.CONNECTION, "reply lost"));
        }
        return CompletableFuture.completedFuture(new SendResult(SendStatus.SEND_OK, List.of("REPLY" + replies.size()),
                "OFFSET", new MessageQueue("DefaultCluster_REPLY_TOPIC", "broker-a", 0), 0, null));
    }

    @Override
    public CompletableFuture<Transaction> beginTransaction(Message message) {
        MQException failure = failNextHalf;
        if (failure != null) {
            failNextHalf = null;
            return CompletableFuture.failedFuture(failure);
        }
        return CompletableFuture.completedFuture(half(message));
    }

    private synchronized RecordedTransaction half(Message message) {
        RecordedTransaction tx = new RecordedTransaction(message, record("transaction", message, null, null));
        transactions.add(tx);
        return tx;
    }

    /** A stored half message and the first end it was given. */
    static final class RecordedTransaction implements Transaction {

        final Message message;
        private final SendResult result;
        private volatile TransactionState state = TransactionState.UNKNOWN;

        RecordedTransaction(Message message, SendResult result) {
            this.message = message;
            this.result = result;
        }

        @Override
        public String transactionId() {
            return result.messageId();
        }

        @Override
        public SendResult sendResult() {
            return result;
        }

        @Override
        public synchronized CompletableFuture<Void> commit() {
            return end(TransactionState.COMMIT);
        }

        @Override
        public synchronized CompletableFuture<Void> rollback() {
            return end(TransactionState.ROLLBACK);
        }

        private CompletableFuture<Void> end(TransactionState end) {
            if (state == TransactionState.UNKNOWN) {
                state = end;
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public TransactionState state() {
            return state;
        }
    }
}
