package dev.mq.core;

/**
 * The client's source of time: monotonic nanoseconds for every deadline and wall-clock milliseconds
 * for what travels in headers or is shown to people (a message's born timestamp, the last NameServer
 * answer).
 *
 * <p>Production code runs on {@link #system()}, the only implementation the client itself has, so
 * the hot path's calls stay monomorphic. Tests give a client a manual clock through
 * {@code ClientResources.builder().clock(...)} (together with a timer driven by the same clock) to
 * run deadline logic without sleeping.
 */
public interface Clock {

    /**
     * A monotonic time in nanoseconds, comparable only with other values of the same clock, in the
     * sense of {@link System#nanoTime()}: deadlines are {@code nanoTime() + timeout}.
     */
    long nanoTime();

    /** Wall-clock time in milliseconds since the epoch, in the sense of {@link System#currentTimeMillis()}. */
    long millis();

    /** The system's clocks: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
