package dev.mq.core.internal.send;

import dev.mq.core.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers brokers that failed or answered slowly and keeps sends away from them for a while — never
 * forever. A broker's penalty depends on the latency of its last answer (the table RocketMQ 5.1.4+
 * uses); a failed request counts as 10 s of latency, i.e. a 10 s penalty. Only outcomes that say
 * something about the broker are recorded (see {@code SendOperation.blamesBroker} and the use of
 * {@code ResponseCode.isRetryable}): a message the broker judged illegal, or a deadline that passed
 * before the request was written, leaves a healthy broker in the rotation.
 */
final class LatencyFaultTolerance {

    private static final long[] LATENCY_MS = {50, 100, 550, 1800, 3000, 5000, 15000};
    private static final long[] PENALTY_MS = {0, 0, 2000, 5000, 6000, 10000, 30000};
    static final long FAILURE_LATENCY_MS = 10_000;

    private final ConcurrentMap<String, Long> availableAt = new ConcurrentHashMap<>();
    private final boolean enabled;
    private final Clock clock;

    LatencyFaultTolerance(boolean enabled, Clock clock) {
        this.enabled = enabled;
        this.clock = clock;
    }

    /** Records the outcome of a request to {@code broker}. */
    void record(String broker, long latencyMs, boolean failed) {
        if (!enabled) {
            return;
        }
        long penalty = penaltyFor(failed ? FAILURE_LATENCY_MS : latencyMs);
        if (penalty == 0) {
            if (availableAt.containsKey(broker)) {
                availableAt.remove(broker);
            }
        } else {
            availableAt.put(broker, clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(penalty));
        }
    }

    /** Whether sends may go to {@code broker} now. */
    boolean isAvailable(String broker) {
        Long until = availableAt.get(broker);
        return until == null || clock.nanoTime() - until >= 0;
    }

    static long penaltyFor(long latencyMs) {
        for (int i = LATENCY_MS.length - 1; i >= 0; i--) {
            if (latencyMs >= LATENCY_MS[i]) {
                return PENALTY_MS[i];
            }
        }
        return 0;
    }
}
