package dev.mq.core.internal.send;

import dev.mq.core.Clock;
import dev.mq.core.MQException;
import dev.mq.core.producer.BackpressurePolicy;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Caps a producer's requests and bytes in flight. Past the cap a send waits (up to its deadline) or
 * fails at once, as configured: memory stays bounded however fast callers send.
 */
final class InFlightLimiter {

    private final int maxRequests;
    private final int maxBytes;
    private final Semaphore requests;
    private final Semaphore bytes;
    private final BackpressurePolicy policy;
    /** Deadlines are the send's, on the client's clock; the waits themselves are real time. */
    private final Clock clock;
    private volatile boolean draining;

    InFlightLimiter(int maxRequests, long maxBytes, BackpressurePolicy policy, Clock clock) {
        this.clock = clock;
        this.maxRequests = maxRequests;
        this.maxBytes = (int) maxBytes;
        this.requests = new Semaphore(maxRequests);
        this.bytes = new Semaphore(this.maxBytes);
        this.policy = policy;
    }

    /** Takes one request and {@code size} bytes of capacity, or throws BACKPRESSURE / TIMEOUT. */
    void acquire(int size, long deadlineNanos) {
        int permits = Math.min(size, maxBytes);
        if (requests.tryAcquire()) {
            if (bytes.tryAcquire(permits)) {
                return;
            }
            if (policy == BackpressurePolicy.FAIL) {
                requests.release();
                throw full();
            }
            acquireBytes(permits, deadlineNanos);
            return;
        }
        if (policy == BackpressurePolicy.FAIL) {
            throw full();
        }
        try {
            if (!requests.tryAcquire(deadlineNanos - clock.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw stillFull();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MQException(MQException.Reason.BACKPRESSURE, "interrupted while waiting for in-flight capacity", e);
        }
        acquireBytes(permits, deadlineNanos);
    }

    private void acquireBytes(int permits, long deadlineNanos) {
        try {
            if (!bytes.tryAcquire(permits, deadlineNanos - clock.nanoTime(), TimeUnit.NANOSECONDS)) {
                requests.release();
                throw stillFull();
            }
        } catch (InterruptedException e) {
            requests.release();
            Thread.currentThread().interrupt();
            throw new MQException(MQException.Reason.BACKPRESSURE, "interrupted while waiting for in-flight capacity", e);
        }
    }

    /** Gives back the bytes of a send taken as {@code acquired} that now holds only {@code kept}. */
    void shrink(int acquired, int kept) {
        int surplus = Math.min(acquired, maxBytes) - Math.min(kept, maxBytes);
        if (surplus > 0) {
            bytes.release(surplus);
        }
    }

    void release(int size) {
        bytes.release(Math.min(size, maxBytes));
        requests.release();
        if (draining && requests.availablePermits() == maxRequests) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * Waits until nothing is in flight or {@code deadlineNanos} (a {@link System#nanoTime()} value:
     * a close waits for other threads in real time, whatever clock the sends run on) passes; true if idle.
     */
    boolean awaitIdle(long deadlineNanos) {
        draining = true;
        synchronized (this) {
            while (requests.availablePermits() < maxRequests) {
                long waitMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (waitMs <= 0) {
                    return false;
                }
                try {
                    wait(waitMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    int inFlightRequests() {
        return maxRequests - requests.availablePermits();
    }

    long inFlightBytes() {
        return (long) maxBytes - bytes.availablePermits();
    }

    private MQException full() {
        return new MQException(MQException.Reason.BACKPRESSURE, "producer in-flight cap reached (" + maxRequests
                + " requests / " + maxBytes + " bytes): slow down, raise the cap, or use the BLOCK policy");
    }

    private MQException stillFull() {
        return new MQException(MQException.Reason.TIMEOUT, "the producer's in-flight cap (" + maxRequests
                + " requests / " + maxBytes + " bytes) stayed full until the send deadline");
    }
}
