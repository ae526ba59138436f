package dev.mq.benchmarks.harness;

import java.util.List;
import java.util.Map;

/**
 * The figures of one timed phase (or, {@link #combine combined}, of several), as measured inside the
 * client's JVM.
 *
 * @param messages       sends acknowledged in the timed phase (oneway: calls that returned)
 * @param elapsedNanos   from the phase's start until its last answer
 * @param totalOk        acknowledged sends of all phases, warm-up included (what the broker should hold)
 * @param totalAttempted sends of all phases, failed ones included
 * @param firstError     the first failure, or null
 * @param latencies      the timed phase's latencies
 */
public record RunOutcome(long messages, long elapsedNanos, long cpuNanos, long allocatedBytes, long errors,
                         long totalOk, long totalAttempted, String firstError, LatencyHistogram latencies) {

    /** The sum of several timed phases of one client and scenario; quantiles over all their latencies. */
    public static RunOutcome combine(List<RunOutcome> parts) {
        long messages = 0, elapsed = 0, cpu = 0, alloc = 0, errors = 0, ok = 0, attempted = 0;
        String firstError = null;
        LatencyHistogram all = new LatencyHistogram();
        for (RunOutcome p : parts) {
            messages += p.messages;
            elapsed += p.elapsedNanos;
            cpu += p.cpuNanos;
            alloc += p.allocatedBytes;
            errors += p.errors;
            ok += p.totalOk;
            attempted += p.totalAttempted;
            firstError = firstError != null ? firstError : p.firstError;
            all.add(p.latencies);
        }
        return new RunOutcome(messages, elapsed, cpu, alloc, errors, ok, attempted, firstError, all);
    }

    public double messagesPerSecond() {
        return elapsedNanos == 0 ? 0 : messages * 1e9 / elapsedNanos;
    }

    public long p50Nanos() {
        return latencies.quantile(0.50);
    }

    public long p99Nanos() {
        return latencies.quantile(0.99);
    }

    public double cpuMicrosPerMessage() {
        return messages == 0 ? 0 : cpuNanos / 1e3 / messages;
    }

    public double allocatedBytesPerMessage() {
        return messages == 0 ? 0 : (double) allocatedBytes / messages;
    }

    public String toLine() {
        return "messages=" + messages + " elapsed_ns=" + elapsedNanos + " cpu_ns=" + cpuNanos
                + " alloc_bytes=" + allocatedBytes + " errors=" + errors + " total_ok=" + totalOk
                + " total_attempted=" + totalAttempted + " latencies=" + latencies.encode()
                + (firstError == null ? "" : " first_error=" + KeyValues.escape(firstError));
    }

    public static RunOutcome fromLine(String line) {
        Map<String, String> v = KeyValues.parse(line);
        return new RunOutcome(Long.parseLong(v.get("messages")), Long.parseLong(v.get("elapsed_ns")),
                Long.parseLong(v.get("cpu_ns")), Long.parseLong(v.get("alloc_bytes")), Long.parseLong(v.get("errors")),
                Long.parseLong(v.get("total_ok")), Long.parseLong(v.get("total_attempted")),
                v.containsKey("first_error") ? KeyValues.unescape(v.get("first_error")) : null,
                LatencyHistogram.decode(v.get("latencies")));
    }
}
