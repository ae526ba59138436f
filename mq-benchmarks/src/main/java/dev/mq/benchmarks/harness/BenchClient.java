package dev.mq.benchmarks.harness;

/**
 * One producer under test, driven by {@link SendDriver}. Implementations send exactly the message
 * {@link MessageSpec} describes, with the client's default settings, and keep no per-message state
 * of their own beyond what the client itself needs.
 */
public interface BenchClient extends AutoCloseable {

    /**
     * Starts a producer of {@code group} against {@code nameServer}, with the client's own
     * auto-batching of asynchronous sends if {@code autoBatching}.
     */
    void start(String nameServer, String group, boolean autoBatching) throws Exception;

    /** Sends and waits for the broker's answer; throws if the send failed. */
    void sendSync(String topic, byte[] body) throws Exception;

    /**
     * Sends without waiting and calls {@code done} once with the answer. May throw instead when the
     * send fails before anything is under way (then {@code done} is never called).
     */
    void sendAsync(String topic, byte[] body, long startNanos, Completion done) throws Exception;

    /**
     * As {@link #sendAsync}, the message carrying one more user property,
     * {@link MessageSpec#SENT_AT_PROPERTY} = {@code sentAtMicros}: for end-to-end latency.
     */
    void sendAsyncStamped(String topic, byte[] body, long sentAtMicros, long startNanos, Completion done) throws Exception;

    /** Writes the message expecting no answer. */
    void sendOneway(String topic, byte[] body) throws Exception;

    /** Stops the producer and everything it started. */
    @Override
    void close();

    /** The outcome of one asynchronous send. */
    @FunctionalInterface
    interface Completion {

        /** @param error null when the broker acknowledged the message */
        void completed(long startNanos, Throwable error);
    }
}
