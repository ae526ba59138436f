package dev.mq.benchmarks.harness;

import java.util.Map;

/**
 * What one client runs for one scenario.
 *
 * @param messages when positive, the timed phase sends this many messages instead of running for
 *                 {@code durationNanos}
 */
public record RunSpec(String scenario, Mode mode, String topic, int bytes, int threads, int inFlight,
                      long warmupNanos, long durationNanos, long messages) {

    public String toLine() {
        return "scenario=" + scenario + " mode=" + mode.label() + " topic=" + topic + " bytes=" + bytes
                + " threads=" + threads + " inflight=" + inFlight + " warmup_ns=" + warmupNanos
                + " duration_ns=" + durationNanos + " messages=" + messages;
    }

    public static RunSpec fromLine(String line) {
        Map<String, String> v = KeyValues.parse(line);
        return new RunSpec(v.get("scenario"), Mode.of(v.get("mode")), v.get("topic"),
                Integer.parseInt(v.get("bytes")), Integer.parseInt(v.get("threads")),
                Integer.parseInt(v.get("inflight")), Long.parseLong(v.get("warmup_ns")),
                Long.parseLong(v.get("duration_ns")), Long.parseLong(v.get("messages")));
    }
}
