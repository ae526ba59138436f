package dev.mq.core.testing;

import dev.mq.core.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to, for deadline tests: nanoseconds and wall time advance
 * together. Use it with a {@link ManualTimer} on the same clock, which fires what became due.
 */
public final class ManualClock implements Clock {

    /** An arbitrary origin: deadlines must work with any nanoTime, including large and negative ones. */
    private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - Duration.ofHours(1).toNanos());
    private final long originNanos = nanos.get();
    private final long originMillis = 1_700_000_000_000L;

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long millis() {
        return originMillis + Duration.ofNanos(nanos.get() - originNanos).toMillis();
    }

    /** Moves the clock forward; a {@link ManualTimer} fires nothing until its own {@code advance}. */
    void add(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
