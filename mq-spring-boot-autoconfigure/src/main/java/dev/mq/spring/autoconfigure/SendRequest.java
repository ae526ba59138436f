package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import dev.mq.core.producer.LocalTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * One send as a public method of {@link MQTemplate} was asked for it, unchecked: the arguments are
 * kept as given so that {@link #validate()} can fail inside the send, where each mode reports a failure
 * its own way (thrown, or through the future of an async send).
 *
 * @param kind        which public method family made it, and so which arguments it needs
 * @param destination {@code "topic"} or {@code "topic:tags"}
 * @param payload     the payload or Spring message of a single send; null for a batch
 * @param batch       the payloads or Spring messages of a batch; null for a single send
 * @param hashKey     the key choosing the queue of an orderly send
 * @param delay       the delivery delay of a delayed send
 * @param deliverAt   the delivery time of a scheduled send
 * @param timeout     the send's deadline, or null for the producer's {@code sendTimeout}
 * @param localTransaction the local transaction of a transactional send with a callback; null for
 *                    one bound to the caller's Spring transaction, and for every other kind
 */
record SendRequest(Kind kind, @Nullable String destination, @Nullable Object payload, @Nullable Collection<?> batch,
                   @Nullable String hashKey, @Nullable Duration delay, @Nullable Instant deliverAt,
                   @Nullable Duration timeout, @Nullable LocalTransaction localTransaction) {

    enum Kind { PLAIN, ORDERLY, DELAYED, SCHEDULED, BATCH, TRANSACTION, BOUND_TRANSACTION }

    SendRequest(Kind kind, @Nullable String destination, @Nullable Object payload, @Nullable Collection<?> batch,
                @Nullable String hashKey, @Nullable Duration delay, @Nullable Instant deliverAt,
                @Nullable Duration timeout) {
        this(kind, destination, payload, batch, hashKey, delay, deliverAt, timeout, null);
    }

    static SendRequest plain(@Nullable String destination, @Nullable Object payload, @Nullable Duration timeout) {
        return new SendRequest(Kind.PLAIN, destination, payload, null, null, null, null, timeout);
    }

    /** A transactional send whose local transaction is {@code localTransaction}. */
    static SendRequest transaction(@Nullable String destination, @Nullable Object payload,
                                   @Nullable LocalTransaction localTransaction) {
        return new SendRequest(Kind.TRANSACTION, destination, payload, null, null, null, null, null, localTransaction);
    }

    /** A transactional send ended by the outcome of the caller's Spring transaction. */
    static SendRequest boundTransaction(@Nullable String destination, @Nullable Object payload) {
        return new SendRequest(Kind.BOUND_TRANSACTION, destination, payload, null, null, null, null, null, null);
    }

    static SendRequest orderly(@Nullable String destination, @Nullable Object payload, @Nullable String hashKey,
                               @Nullable Duration timeout) {
        return new SendRequest(Kind.ORDERLY, destination, payload, null, hashKey, null, null, timeout);
    }

    static SendRequest delayed(@Nullable String destination, @Nullable Object payload, @Nullable Duration delay) {
        return new SendRequest(Kind.DELAYED, destination, payload, null, null, delay, null, null);
    }

    static SendRequest scheduled(@Nullable String destination, @Nullable Object payload,
                                 @Nullable Instant deliverAt) {
        return new SendRequest(Kind.SCHEDULED, destination, payload, null, null, null, deliverAt, null);
    }

    static SendRequest batch(@Nullable String destination, @Nullable Collection<?> payloads,
                             @Nullable Duration timeout) {
        return new SendRequest(Kind.BATCH, destination, null, payloads, null, null, null, timeout);
    }

    boolean isBatch() {
        return kind == Kind.BATCH;
    }

    /**
     * Checks what this kind of send needs, then the destination (in that order, as callers have always
     * seen the errors), and returns the parsed destination. Payloads are checked when they are converted.
     *
     * @throws MQException VALIDATION naming the bad argument
     */
    Destination validate() {
        switch (kind) {
            case ORDERLY -> {
                if (hashKey == null) {
                    throw MQException.validation("hash key is null: an orderly send needs a non-null hash key");
                }
            }
            case DELAYED -> {
                if (delay == null || delay.isNegative()) {
                    throw MQException.validation("delay must be zero or positive, got " + delay);
                }
            }
            case SCHEDULED -> {
                if (deliverAt == null) {
                    throw MQException.validation("deliverAt is null: a scheduled send needs a delivery time");
                }
            }
            case BATCH -> {
                if (batch == null || batch.isEmpty()) {
                    throw MQException.validation("a batch needs at least one payload");
                }
            }
            case TRANSACTION -> {
                if (localTransaction == null) {
                    throw MQException.validation("local transaction is null: a transactional send needs one "
                            + "(or use sendInTransaction(destination, payload) inside a Spring transaction)");
                }
                refuseBatch(payload);
            }
            case BOUND_TRANSACTION -> {
                refuseBatch(payload);
                TransactionBinding.requireActive();
            }
            case PLAIN -> {
                // nothing beyond the destination
            }
        }
        return Destination.parse(destination);
    }

    /**
     * RocketMQ cannot make a batch transactional. A collection given where one payload is expected
     * would otherwise travel as one message whose body is the whole list, which is rarely what was
     * meant: wrap it in an object to send it so.
     */
    private static void refuseBatch(@Nullable Object payload) {
        if (payload instanceof Collection<?>) {
            throw MQException.validation("a transactional message cannot be a batch: send one message per "
                    + "transaction (to send a list as one message's body, wrap it in an object)");
        }
    }
}
