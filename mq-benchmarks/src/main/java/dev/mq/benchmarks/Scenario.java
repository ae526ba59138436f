package dev.mq.benchmarks;

import dev.mq.benchmarks.harness.Mode;

/**
 * One cell of the suite: which broker, how messages are sent, how big their bodies are, and how many
 * asynchronous sends may be in flight.
 *
 * <p>Its name is {@code <broker>-<mode>-<bytes>}, with {@code -inflight<N>} when an asynchronous
 * scenario keeps other than {@value #STANDARD_IN_FLIGHT} sends in flight, and {@code -batched} when
 * mq-core runs with auto-batching ({@code AutoBatching.whenBusy()}). The official client has no
 * auto-batching: in a batched scenario it runs as in every other, so the ratio compares ours batched
 * with the official client's only way of sending one message at a time asynchronously.
 */
record Scenario(BrokerKind broker, Mode mode, int bytes, int inFlight, boolean batching) {

    static final int STANDARD_IN_FLIGHT = 1024;

    String name() {
        return broker.label() + "-" + mode.label() + "-" + bytes
                + (mode == Mode.ASYNC && inFlight != STANDARD_IN_FLIGHT ? "-inflight" + inFlight : "")
                + (batching ? "-batched" : "");
    }

    /** Where the messages go. */
    enum BrokerKind {
        /** {@link dev.mq.benchmarks.nullbroker.NullBroker}: acknowledges at once, stores nothing. */
        NULL,
        /** The real Apache RocketMQ NameServer and Broker ({@code EmbeddedRocketMQ}). */
        REAL;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static BrokerKind of(String label) {
            return valueOf(label.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }
}
