package dev.mq.benchmarks.harness;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * What every benchmark message carries, for both clients alike: a topic, one tag, one key, one user
 * property and a body of the scenario's size. A new message object is built for every send, as an
 * application would.
 */
public final class MessageSpec {

    public static final String TAGS = "bench";
    public static final String KEYS = "order-42";
    public static final String PROPERTY_NAME = "origin";
    public static final String PROPERTY_VALUE = "mq-benchmarks";
    /**
     * The user property that paced sends ({@link RunSpec#rate()}) add: the wall-clock time of the send
     * in microseconds since the epoch ({@link #nowMicros()}), from which a consumer on the same machine
     * computes the end-to-end latency. (The broker's born timestamp has millisecond resolution only.)
     */
    public static final String SENT_AT_PROPERTY = "bench_sent_us";

    private MessageSpec() {
    }

    /** This machine's wall clock in microseconds since the epoch (the JDK reads it at that resolution on Linux). */
    public static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /**
     * A body of exactly {@code size} bytes of JSON-like order records with pseudo-random values (the
     * same bytes on every call): about as compressible as real payloads, which matters because both
     * clients zlib-compress bodies of 4 KiB and more by default.
     */
    public static byte[] body(int size) {
        SplittableRandom random = new SplittableRandom(size);
        StringBuilder text = new StringBuilder(size + 128);
        text.append('[');
        while (text.length() < size) {
            text.append("{\"id\":").append(random.nextInt(1_000_000))
                    .append(",\"sku\":\"SKU-").append(Integer.toHexString(random.nextInt()))
                    .append("\",\"qty\":").append(random.nextInt(1, 20))
                    .append(",\"price\":").append(random.nextInt(100, 100_000) / 100.0)
                    .append(",\"customer\":\"c").append(random.nextLong(1L << 40)).append("\"},");
        }
        byte[] bytes = new byte[size];
        System.arraycopy(text.toString().getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, size);
        return bytes;
    }
}
