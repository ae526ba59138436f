package dev.mq.core.producer;

/** What a send does when the producer's in-flight cap is reached. */
public enum BackpressurePolicy {
    /** Wait for capacity, up to the send's deadline (then fail with TIMEOUT). */
    BLOCK,
    /** Fail at once with BACKPRESSURE. */
    FAIL
}
