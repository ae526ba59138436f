package dev.mq.benchmarks;

import dev.mq.benchmarks.harness.Mode;

/**
 * One cell of the suite: which broker, how messages are sent, how big their bodies are, how many
 * asynchronous sends may be in flight, and whether the clients under test send or consume.
 *
 * <p>A send scenario's name is {@code <broker>-<mode>-<bytes>}, with {@code -inflight<N>} when an
 * asynchronous scenario keeps other than {@value #STANDARD_IN_FLIGHT} sends in flight, and
 * {@code -batched} when both clients run with their auto-batching on: mq-core's
 * {@code AutoBatching.whenBusy()}, the official client's {@code setAutoBatch(true)} with its default
 * delay and sizes. A consume scenario's is {@code <broker>-drain-<bytes>}, {@code <broker>-e2e-<bytes>}
 * or {@code <broker>-backlog-<bytes>} (see {@link Consumption}); its messages are sent by one producer, mq-core's, asynchronously.
 */
record Scenario(BrokerKind broker, Mode mode, int bytes, int inFlight, boolean batching, Consumption consumption) {

    static final int STANDARD_IN_FLIGHT = 1024;

    /** A send scenario. */
    Scenario(BrokerKind broker, Mode mode, int bytes, int inFlight, boolean batching) {
        this(broker, mode, bytes, inFlight, batching, Consumption.NONE);
    }

    /** A consume scenario: the clients' push consumers read what one producer sent. */
    static Scenario consuming(BrokerKind broker, Consumption consumption, int bytes) {
        if (consumption == Consumption.NONE) {
            throw new IllegalArgumentException("not a consume scenario");
        }
        return new Scenario(broker, Mode.ASYNC, bytes, STANDARD_IN_FLIGHT, false, consumption);
    }

    /** The same scenario without auto-batching. */
    Scenario unbatched() {
        return new Scenario(broker, mode, bytes, inFlight, false);
    }

    String name() {
        if (consumption != Consumption.NONE) {
            return broker.label() + "-" + consumption.label() + "-" + bytes;
        }
        return broker.label() + "-" + mode.label() + "-" + bytes
                + (mode == Mode.ASYNC && inFlight != STANDARD_IN_FLIGHT ? "-inflight" + inFlight : "")
                + (batching ? "-batched" : "");
    }

    /** What the clients under test do with messages. */
    enum Consumption {
        /** They send. */
        NONE,
        /**
         * Each consumes a topic pre-filled with messages, with a group of its own from the first
         * offset, until it has every message: msgs/s, CPU and allocation per message.
         */
        DRAIN,
        /**
         * Each consumes while one producer sends at a fixed rate: latency from send to handler, CPU
         * and allocation per message.
         */
        E2E,
        /**
         * Each consumes, in a JVM with a small heap and with a slow handler, a topic pre-filled with
         * a backlog far larger than that heap, for a fixed time: its heap and its cache.
         */
        BACKLOG;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
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
