package dev.mq.spring.autoconfigure;

import dev.mq.core.Message;
import dev.mq.core.MessageQueue;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import dev.mq.core.internal.protocol.Validation;
import dev.mq.core.producer.LocalTransaction;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.QueueSelector;
import dev.mq.core.producer.Transaction;
import dev.mq.core.producer.TransactionResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A producer that validates like the real one and records what it was asked to send. */
class RecordingProducer implements Producer {

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
        throw new UnsupportedOperationException("not recorded");
    }

    @Override
    public CompletableFuture<Transaction> beginTransaction(Message message) {
        throw new UnsupportedOperationException("not recorded");
    }
}
