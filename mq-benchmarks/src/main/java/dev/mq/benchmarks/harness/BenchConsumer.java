package dev.mq.benchmarks.harness;

/**
 * One push consumer under test, driven by {@link ConsumeDriver}. Implementations subscribe to every
 * message of one topic with the client's default settings (concurrent consumption, default handler
 * threads, pull and batch sizes), and their listener does nothing but tell the {@link Sink} and
 * report success.
 */
public interface BenchConsumer extends AutoCloseable {

    /**
     * Starts a consumer of the new or known {@code group} on {@code topic} against
     * {@code nameServer}; a group without committed offsets starts at each queue's first message.
     */
    void start(String nameServer, String group, String topic, Sink sink) throws Exception;

    /** Stops the consumer (committing its offsets) and everything it started. */
    @Override
    void close();

    /** What the listener tells about each message it is handed, on the handler thread. */
    @FunctionalInterface
    interface Sink {

        /**
         * @param sentAtMicros the message's {@link MessageSpec#SENT_AT_PROPERTY}, or null when it has none
         */
        void consumed(int queueId, long queueOffset, String sentAtMicros);
    }
}
