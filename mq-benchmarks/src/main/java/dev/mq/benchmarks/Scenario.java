package dev.mq.benchmarks;

import dev.mq.benchmarks.harness.Mode;

/**
 * One cell of the suite: which broker, how messages are sent, how big their bodies are, and how many
 * asynchronous sends may be in flight.
 *
 * <p>Its name is {@code <broker>-<mode>-<bytes>}, with {@code -inflight<N>} when an asynchronous
 * scenario keeps other than {@value #STANDARD_IN_FLIGHT} sends in flight, and {@code -batched} when
 * both clients run with their auto-batching on: mq-core's {@code AutoBatching.whenBusy()}, the official
 * client's {@code setAutoBatch(true)} with its default delay and sizes.
 */
record Scenario(BrokerKind broker, Mode mode, int bytes, int inFlight, boolean batching) {

    static final int STANDARD_IN_FLIGHT = 1024;

    /** The same scenario without auto-batching. */
    Scenario unbatched() {
        return new Scenario(broker, mode, bytes, inFlight, false);
    }

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
