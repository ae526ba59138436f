package dev.mq.core.it.faults;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how late this JVM's threads are woken: a daemon thread asks to sleep 1 ms, over and over,
 * and keeps the largest oversleep. On a machine shared with other builds the figure explains a late
 * completion that no code of ours caused; the tests print it next to their own lateness figures and
 * quote it when a timing assertion fails (it never widens a bound).
 */
final class SchedulingStalls implements AutoCloseable {

    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong worstNanos = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    SchedulingStalls() {
        thread = new Thread(() -> {
            while (running) {
                long start = System.nanoTime();
                LockSupport.parkNanos(PERIOD_NANOS);
                worstNanos.accumulateAndGet(System.nanoTime() - start - PERIOD_NANOS, Math::max);
            }
        }, "scheduling-stalls");
        thread.setDaemon(true);
        thread.start();
    }

    /** The longest a 1 ms sleep overslept so far, in ms. */
    double worstMillis() {
        return worstNanos.get() / 1e6;
    }

    /** For assertion descriptions: the worst stall and the load average. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "worst JVM scheduling stall %.1f ms, load %s", worstMillis(),
                Reliability.uptime());
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
