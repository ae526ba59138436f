package dev.mq.benchmarks.harness;

import java.util.Map;

/**
 * The figures of one timed phase, as measured inside the client's JVM.
 *
 * @param messages       sends acknowledged in the timed phase (oneway: calls that returned)
 * @param elapsedNanos   from the phase's start until its last answer
 * @param totalOk        acknowledged sends of both phases (what the broker should have stored)
 * @param totalAttempted sends of both phases, failed ones included
 * @param firstError     the first failure, or null
 */
public record RunOutcome(long messages, long elapsedNanos, long p50Nanos, long p99Nanos, long cpuNanos,
                         long allocatedBytes, long errors, long totalOk, long totalAttempted, String firstError) {

    public double messagesPerSecond() {
        return elapsedNanos == 0 ? 0 : messages * 1e9 / elapsedNanos;
    }

    public double cpuMicrosPerMessage() {
        return messages == 0 ? 0 : cpuNanos / 1e3 / messages;
    }

    public double allocatedBytesPerMessage() {
        return messages == 0 ? 0 : (double) allocatedBytes / messages;
    }

    public String toLine() {
        return "messages=" + messages + " elapsed_ns=" + elapsedNanos + " p50_ns=" + p50Nanos + " p99_ns=" + p99Nanos
                + " cpu_ns=" + cpuNanos + " alloc_bytes=" + allocatedBytes + " errors=" + errors
                + " total_ok=" + totalOk + " total_attempted=" + totalAttempted
                + (firstError == null ? "" : " first_error=" + KeyValues.escape(firstError));
    }

    public static RunOutcome fromLine(String line) {
        Map<String, String> v = KeyValues.parse(line);
        return new RunOutcome(Long.parseLong(v.get("messages")), Long.parseLong(v.get("elapsed_ns")),
                Long.parseLong(v.get("p50_ns")), Long.parseLong(v.get("p99_ns")), Long.parseLong(v.get("cpu_ns")),
                Long.parseLong(v.get("alloc_bytes")), Long.parseLong(v.get("errors")),
                Long.parseLong(v.get("total_ok")), Long.parseLong(v.get("total_attempted")),
                v.containsKey("first_error") ? KeyValues.unescape(v.get("first_error")) : null);
    }
}
