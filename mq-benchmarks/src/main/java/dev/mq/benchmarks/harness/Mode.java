package dev.mq.benchmarks.harness;

import java.util.Locale;

/** How messages are sent. */
public enum Mode {
    /** Each sender thread sends and waits for the answer; latency is the call's duration. */
    SYNC,
    /** One thread keeps up to the in-flight limit of sends outstanding; latency is call to completion. */
    ASYNC,
    /** Each sender thread writes without expecting an answer; latency is the call's duration. */
    ONEWAY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mode of(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
