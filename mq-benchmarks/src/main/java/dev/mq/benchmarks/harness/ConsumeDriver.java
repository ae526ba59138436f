package dev.mq.benchmarks.harness;

import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link BenchConsumer} from its start to its close and measures it: which messages it was
 * handed ({@link DeliveryLedger}: distinct, duplicates, missing against what was sent), the
 * end-to-end latency of those that carry a send time ({@link MessageSpec#SENT_AT_PROPERTY}: handler
 * time minus send time, both wall-clock microseconds of this machine), and the JVM's CPU time and
 * allocation between a {@link #mark() mark} and a later reading.
 *
 * <p>The handler threads of both clients live from the consumer's start to its close, so the
 * allocation figure (live threads only, see {@link ProcessCost}) covers them; the mark is taken
 * before the consumer starts when the whole life is measured (a drain), so threads born at its start
 * count from zero.
 */
public final class ConsumeDriver {

    private final BenchConsumer consumer;
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final LatencyHistogram latencies = new LatencyHistogram();
    private final Object reached = new Object();
    private volatile long target = Long.MAX_VALUE;
    private volatile long reachedAt;
    /** When the first distinct message arrived, or 0. */
    private volatile long firstDeliveryAt;
    private volatile Mark mark;
    private volatile String firstError;
    private boolean started;

    public ConsumeDriver(BenchConsumer consumer) {
        this.consumer = consumer;
    }

    /** Marks now (see {@link #mark()}) and starts the consumer. */
    public void start(String nameServer, String group, String topic) throws Exception {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        mark();
        consumer.start(nameServer, group, topic, this::consumed);
    }

    /** From now on: the latencies, CPU time, allocation and messages that {@link #read()} reports. */
    public void mark() {
        latencies.reset();
        mark = new Mark(System.nanoTime(), ProcessCost.now(), ledger.unique());
    }

    /** The figures since the mark. */
    public RunOutcome read() {
        return outcome(System.nanoTime(), ProcessCost.now());
    }

    /**
     * Waits until {@code count} distinct messages have been handed to the consumer, or gives up: when
     * the first one has not arrived {@code startMillis} after the mark, or none arrived for
     * {@code stallMillis} after that. Answers the figures from the mark to the moment the last one
     * arrived (or to now, when it gave up) and whether the count was reached: figures of a drain that
     * gave up are no drain's, and must not be reported as one.
     */
    public Drain awaitConsumed(long count, long startMillis, long stallMillis) throws InterruptedException {
        Mark m = mark;
        Awaited awaited = awaitUnique(count, m.nanos, startMillis, stallMillis);
        long first = firstDeliveryAt;
        return new Drain(outcome(awaited.at, ProcessCost.now()), count, awaited.reached,
                first == 0 ? -1 : Math.max(0, TimeUnit.NANOSECONDS.toMillis(first - m.nanos)), startMillis, stallMillis);
    }

    /**
     * What {@link #awaitConsumed} found.
     *
     * @param outcome             the figures from the mark to the last arrival (or to the give-up)
     * @param expected            the distinct messages waited for
     * @param complete            whether they all arrived
     * @param firstDeliveryMillis from the mark to the first distinct message, or -1 when none arrived
     * @param startMillis         how long it waited for a first message
     * @param stallMillis         how long it waited for a next one
     */
    public record Drain(RunOutcome outcome, long expected, boolean complete, long firstDeliveryMillis, long startMillis,
                        long stallMillis) {

        /** Why these figures are not a drain of {@code expected} messages, or null when they are. */
        public String failure() {
            if (complete && outcome.messages() == expected) {
                return null;
            }
            if (firstDeliveryMillis < 0) {
                return "no message within " + startMillis + " ms of the consumer's start (0 of " + expected + ")";
            }
            if (!complete) {
                return "deliveries stalled for " + stallMillis + " ms at " + outcome.messages() + " of " + expected
                        + " messages (first after " + firstDeliveryMillis + " ms)";
            }
            return outcome.messages() + " messages measured of " + expected;
        }

        public String toLine() {
            return outcome.toLine() + " expected=" + expected + " complete=" + complete + " first_delivery_ms="
                    + firstDeliveryMillis + " start_ms=" + startMillis + " stall_ms=" + stallMillis;
        }

        public static Drain fromLine(String line) {
            java.util.Map<String, String> v = KeyValues.parse(line);
            return new Drain(RunOutcome.fromLine(line), Long.parseLong(v.get("expected")),
                    Boolean.parseBoolean(v.get("complete")), Long.parseLong(v.get("first_delivery_ms")),
                    Long.parseLong(v.get("start_ms")), Long.parseLong(v.get("stall_ms")));
        }
    }

    /**
     * Waits (as {@link #awaitConsumed}) for {@code expected} distinct messages, then {@code settleMillis}
     * more for late duplicates; answers what the consumer was handed. The caller closes the consumer.
     */
    public Delivery settle(long expected, long stallMillis, long settleMillis) throws InterruptedException {
        awaitUnique(expected, System.nanoTime(), stallMillis, stallMillis);
        Thread.sleep(settleMillis);
        long unique = ledger.unique();
        return new Delivery(unique, ledger.duplicates(), Math.max(0, expected - unique));
    }

    /** What a consumer was handed over its life, against what it should have been. */
    public record Delivery(long unique, long duplicates, long missing) {

        public String toLine() {
            return "unique=" + unique + " duplicates=" + duplicates + " missing=" + missing;
        }
    }

    private record Awaited(long at, boolean reached) {
    }

    /**
     * The time the count was reached, or now if it was not: no first message within
     * {@code startMillis} of {@code since}, or no new one for {@code stallMillis} after one arrived.
     */
    private Awaited awaitUnique(long count, long since, long startMillis, long stallMillis) throws InterruptedException {
        synchronized (reached) {
            reachedAt = 0;
            target = count;
            try {
                long lastUnique = ledger.unique();
                long lastProgress = System.nanoTime();
                while (ledger.unique() < count) {
                    reached.wait(50);
                    long now = ledger.unique();
                    long time = System.nanoTime();
                    if (now != lastUnique) {
                        lastUnique = now;
                        lastProgress = time;
                    } else if (firstDeliveryAt == 0) {
                        if (time - since > TimeUnit.MILLISECONDS.toNanos(startMillis)) {
                            return new Awaited(time, false);
                        }
                    } else if (time - lastProgress > TimeUnit.MILLISECONDS.toNanos(stallMillis)) {
                        return new Awaited(time, false);
                    }
                }
                return new Awaited(reachedAt == 0 ? System.nanoTime() : reachedAt, true);
            } finally {
                target = Long.MAX_VALUE;
            }
        }
    }

    private void consumed(int queueId, long queueOffset, String sentAtMicros) {
        long handled = sentAtMicros == null ? 0 : MessageSpec.nowMicros();
        long unique;
        try {
            unique = ledger.record(queueId, queueOffset);
        } catch (RuntimeException e) {
            if (firstError == null) {
                firstError = e.toString();
            }
            return;
        }
        if (unique < 0) {
            return;
        }
        if (unique == 1) {
            firstDeliveryAt = System.nanoTime();
        }
        if (sentAtMicros != null) {
            latencies.record((handled - Long.parseLong(sentAtMicros)) * 1_000);
        }
        if (unique == target) {
            reachedAt = System.nanoTime();
            synchronized (reached) {
                reached.notifyAll();
            }
        }
    }

    private RunOutcome outcome(long endNanos, ProcessCost end) {
        Mark m = mark;
        long messages = ledger.unique() - m.unique;
        return new RunOutcome(messages, endNanos - m.nanos, end.cpuNanosSince(m.cost), end.allocatedBytesSince(m.cost),
                0, ledger.unique(), ledger.deliveries(), firstError, latencies);
    }

    private record Mark(long nanos, ProcessCost cost, long unique) {
    }
}
