package dev.mq.core.testing;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Timer} driven by a {@link ManualClock}: a task is due at the clock's time when it was
 * set plus its delay, and runs — on the thread that calls {@link #advance} — once the clock reaches
 * that time. So a deadline test moves time explicitly and sees exactly what fires, without sleeping.
 */
public final class ManualTimer implements Timer {

    private final ManualClock clock;
    private final List<Entry> pending = new ArrayList<>();
    private boolean stopped;
    private int fired;

    public ManualTimer(ManualClock clock) {
        this.clock = clock;
    }

    public ManualClock clock() {
        return clock;
    }

    @Override
    public synchronized Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        if (stopped) {
            throw new IllegalStateException("cannot be started once stopped");
        }
        Entry entry = new Entry(task, clock.nanoTime() + Math.max(0, unit.toNanos(delay)));
        pending.add(entry);
        return entry;
    }

    /**
     * Moves the clock forward by {@code step}, then runs every task that is due, earliest first
     * (tasks set while doing so run too if they are due already).
     */
    public void advance(Duration step) {
        clock.add(step);
        while (true) {
            Entry next;
            synchronized (this) {
                next = pending.stream().filter(e -> e.deadline - clock.nanoTime() <= 0)
                        .min((a, b) -> Long.compare(a.deadline - b.deadline, 0)).orElse(null);
                if (next == null) {
                    return;
                }
                pending.remove(next);
                next.expired = true;
                fired++;
            }
            try {
                next.task.run(next);
            } catch (Exception e) {
                throw new AssertionError("timer task failed", e);
            }
        }
    }

    /** Tasks run by {@link #advance} so far. */
    public synchronized int firedCount() {
        return fired;
    }

    /** Tasks set and neither run nor cancelled. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    @Override
    public synchronized Set<Timeout> stop() {
        stopped = true;
        Set<Timeout> left = new HashSet<>(pending);
        pending.clear();
        return left;
    }

    private final class Entry implements Timeout {

        final TimerTask task;
        final long deadline;
        volatile boolean expired;
        volatile boolean cancelled;

        Entry(TimerTask task, long deadline) {
            this.task = task;
            this.deadline = deadline;
        }

        @Override
        public Timer timer() {
            return ManualTimer.this;
        }

        @Override
        public TimerTask task() {
            return task;
        }

        @Override
        public boolean isExpired() {
            return expired;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean cancel() {
            synchronized (ManualTimer.this) {
                if (expired || cancelled) {
                    return false;
                }
                cancelled = true;
                pending.remove(this);
                return true;
            }
        }
    }
}
