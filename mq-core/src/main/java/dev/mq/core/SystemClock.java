package dev.mq.core;

/** {@link Clock#system()}: one instance, one class, so that reading the time costs what the JDK call costs. */
final class SystemClock implements Clock {

    static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }

    @Override
    public String toString() {
        return "Clock.system()";
    }
}
