package dev.mq.core.internal.send;

import dev.mq.core.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Paces the sweeping of a per-queue map (the queue dispatchers, see {@link QueueDispatchers}): entries that
 * nobody used for a whole idle period are removed, so that the maps follow the queues in use
 * instead of every queue ever sent to. Sweeps happen at most once a period, on a thread that is
 * sending anyway; the frequent path reads the clock only once in a while.
 */
final class SweepClock {

    /** How long a queue's dispatcher may stay unused before it is removed: one to two periods. */
    static final long DEFAULT_IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static final AtomicLongFieldUpdater<SweepClock> NEXT =
            AtomicLongFieldUpdater.newUpdater(SweepClock.class, "nextSweepNanos");
    /** Reads of the clock on the frequent path: one in this many calls of {@link #tick()}. */
    private static final int TICKS_PER_READ = 1024;

    private final Clock clock;
    private volatile long idleNanos;
    private volatile long nextSweepNanos;
    /** Not atomic on purpose: a lost increment only delays a clock read. */
    private int ticks;

    SweepClock(long idleNanos, Clock clock) {
        this.clock = clock;
        this.idleNanos = idleNanos;
        this.nextSweepNanos = clock.nanoTime() + idleNanos;
    }

    /** On a frequent event (a queue went idle): true, for one caller, when a sweep is due. */
    boolean tick() {
        return ++ticks % TICKS_PER_READ == 0 && due();
    }

    /** On a rare event (a queue seen for the first time): true, for one caller, when a sweep is due. */
    boolean due() {
        long now = clock.nanoTime();
        long next = nextSweepNanos;
        return now - next >= 0 && NEXT.compareAndSet(this, next, now + idleNanos);
    }

    /** For tests: a shorter period, so that sweeps race with sends. */
    void idleNanos(long nanos) {
        idleNanos = nanos;
        nextSweepNanos = clock.nanoTime() + nanos;
    }
}
