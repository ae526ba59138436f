package dev.mq.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one exception type of the client. Its {@link #reason()} says what went wrong in a way code
 * can act on; its message says it in a way a person can act on.
 */
public class MQException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a call failed. */
    public enum Reason {
        /** The request was refused before any I/O: a bad argument, message or configuration. */
        VALIDATION,
        /** No name server knows a route to the topic. */
        NO_ROUTE,
        /** The deadline passed before an answer arrived. */
        TIMEOUT,
        /** The broker answered with an error code; see {@link #responseCode()} and {@link #remark()}. */
        BROKER_REJECTED,
        /** A connection could not be made or was lost with the request in flight. */
        CONNECTION,
        /** The producer's in-flight cap was reached and the configured policy is to fail. */
        BACKPRESSURE,
        /** The client or producer is shut down (or not started). */
        SHUTDOWN,
        /**
         * The application's local transaction threw (see
         * {@link dev.mq.core.producer.Producer#sendInTransaction}); the cause is its exception, the
         * message names the transaction id, and the message is left for the group's checker.
         */
        LOCAL_TRANSACTION
    }

    private final Reason reason;
    private final int responseCode;
    private final @Nullable String remark;

    public MQException(Reason reason, @Nullable String message) {
        this(reason, message, null);
    }

    public MQException(Reason reason, @Nullable String message, @Nullable Throwable cause) {
        this(reason, message, -1, null, cause);
    }

    private MQException(Reason reason, @Nullable String message, int responseCode, @Nullable String remark, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.responseCode = responseCode;
        this.remark = remark;
    }

    /** A {@link Reason#BROKER_REJECTED} error carrying the broker's response code and remark. */
    public static MQException brokerRejected(String message, int responseCode, @Nullable String remark) {
        return new MQException(Reason.BROKER_REJECTED, message, responseCode, remark, null);
    }

    /** A {@link Reason#VALIDATION} error. */
    public static MQException validation(String message) {
        return new MQException(Reason.VALIDATION, message);
    }

    public Reason reason() {
        return reason;
    }

    /** The broker's response code for {@link Reason#BROKER_REJECTED}, otherwise -1. */
    public int responseCode() {
        return responseCode;
    }

    /** The broker's remark for {@link Reason#BROKER_REJECTED}, otherwise null. */
    public @Nullable String remark() {
        return remark;
    }
}
