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
     * Waits until {@code count} distinct messages have been handed to the consumer, or until none
     * arrived for {@code stallMillis}; then the figures from the mark to the moment the last one
     * arrived (or to now, when it gave up).
     */
    public RunOutcome awaitConsumed(long count, long stallMillis) throws InterruptedException {
        long at = awaitUnique(count, stallMillis);
        return outcome(at, ProcessCost.now());
    }

    /**
     * Waits (as {@link #awaitConsumed}) for {@code expected} distinct messages, then {@code settleMillis}
     * more for late duplicates; answers what the consumer was handed. The caller closes the consumer.
     */
    public Delivery settle(long expected, long stallMillis, long settleMillis) throws InterruptedException {
        awaitUnique(expected, stallMillis);
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

    /** The time the count was reached, or now if it was not reached before deliveries stalled. */
    private long awaitUnique(long count, long stallMillis) throws InterruptedException {
        synchronized (reached) {
            reachedAt = 0;
            target = count;
            long lastUnique = ledger.unique();
            long lastProgress = System.nanoTime();
            while (ledger.unique() < count) {
                reached.wait(50);
                long now = ledger.unique();
                if (now != lastUnique) {
                    lastUnique = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > TimeUnit.MILLISECONDS.toNanos(stallMillis)) {
                    target = Long.MAX_VALUE;
                    return System.nanoTime();
                }
            }
            target = Long.MAX_VALUE;
            return reachedAt == 0 ? System.nanoTime() : reachedAt;
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
