package dev.mq.benchmarks.harness;

import java.util.Map;

/**
 * What one client runs for one scenario.
 *
 * @param messages when positive, the timed phase sends this many messages instead of running for
 *                 {@code durationNanos}
 * @param rate     when positive, asynchronous sends are paced to this many per second (from each
 *                 phase's start, never catching up more than the in-flight limit allows), and each
 *                 carries its send time ({@link MessageSpec#SENT_AT_PROPERTY}); 0: as fast as the
 *                 in-flight limit allows
 */
public record RunSpec(String scenario, Mode mode, String topic, int bytes, int threads, int inFlight,
                      long warmupNanos, long durationNanos, long messages, int rate) {

    public RunSpec {
        if (rate < 0 || (rate > 0 && mode != Mode.ASYNC)) {
            throw new IllegalArgumentException("a rate applies to asynchronous sends only, and is not negative");
        }
    }

    /** Unpaced. */
    public RunSpec(String scenario, Mode mode, String topic, int bytes, int threads, int inFlight,
                   long warmupNanos, long durationNanos, long messages) {
        this(scenario, mode, topic, bytes, threads, inFlight, warmupNanos, durationNanos, messages, 0);
    }

    public String toLine() {
        return "scenario=" + scenario + " mode=" + mode.label() + " topic=" + topic + " bytes=" + bytes
                + " threads=" + threads + " inflight=" + inFlight + " warmup_ns=" + warmupNanos
                + " duration_ns=" + durationNanos + " messages=" + messages + " rate=" + rate;
    }

    public static RunSpec fromLine(String line) {
        Map<String, String> v = KeyValues.parse(line);
        return new RunSpec(v.get("scenario"), Mode.of(v.get("mode")), v.get("topic"),
                Integer.parseInt(v.get("bytes")), Integer.parseInt(v.get("threads")),
                Integer.parseInt(v.get("inflight")), Long.parseLong(v.get("warmup_ns")),
                Long.parseLong(v.get("duration_ns")), Long.parseLong(v.get("messages")),
                Integer.parseInt(v.getOrDefault("rate", "0")));
    }
}
