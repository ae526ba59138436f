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

    /**
     * What the consumer holds now (messages pulled and not finished, their body bytes, over all its
     * queues) and its caps on them with its default settings, as the client itself counts them.
     */
    Cache cache();

    /**
     * A consumer's cache at one moment.
     *
     * @param messages    messages pulled and not finished
     * @param bytes       their body bytes
     * @param capMessages the most it holds by its settings (-1: no cap)
     * @param capBytes    the most body bytes it holds by its settings (-1: no cap)
     * @param caps        how the caps are set, for the report (e.g. per queue)
     */
    record Cache(long messages, long bytes, long capMessages, long capBytes, String caps) {
    }

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
