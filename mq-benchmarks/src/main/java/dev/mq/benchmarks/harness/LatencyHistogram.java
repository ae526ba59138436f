package dev.mq.benchmarks.harness;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size, log-linear histogram of nanosecond latencies that any number of threads may record
 * into without locks or allocation.
 *
 * <p>Values below {@value #SUB_BUCKETS} ns have a bucket each; above that, every power of two is cut
 * into {@value #HALF} equal buckets, so a reported percentile is within about 0.8 % of the truth
 * (it reports the middle of its bucket). 3,712 buckets cover up to {@code Long.MAX_VALUE}.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 7;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    private static final int HALF = SUB_BUCKETS / 2;
    private static final int BUCKETS = SUB_BUCKETS + (63 - SUB_BITS) * HALF;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one latency; negative values count as zero. */
    public void record(long nanos) {
        counts.incrementAndGet(index(Math.max(0, nanos)));
    }

    /** Forgets everything recorded. Not atomic with respect to concurrent {@link #record}. */
    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }

    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /**
     * The value at quantile {@code q} (0..1): the smallest recorded bucket holding at least
     * {@code ceil(q * count)} values, reported as the bucket's midpoint; 0 when empty.
     */
    public long quantile(double q) {
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            total += snapshot[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return midpoint(i);
            }
        }
        return midpoint(BUCKETS - 1);
    }

    /** Adds every value recorded in {@code other} to this histogram. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            long n = other.counts.get(i);
            if (n != 0) {
                counts.addAndGet(i, n);
            }
        }
    }

    /** The non-empty buckets as {@code index:count} pairs joined by {@code ,}: one token of a command line. */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < BUCKETS; i++) {
            long n = counts.get(i);
            if (n != 0) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(i).append(':').append(n);
            }
        }
        return sb.length() == 0 ? "-" : sb.toString();
    }

    /** The inverse of {@link #encode()}. */
    public static LatencyHistogram decode(String encoded) {
        LatencyHistogram h = new LatencyHistogram();
        if (!encoded.equals("-")) {
            for (String pair : encoded.split(",")) {
                int colon = pair.indexOf(':');
                h.counts.addAndGet(Integer.parseInt(pair.substring(0, colon)), Long.parseLong(pair.substring(colon + 1)));
            }
        }
        return h;
    }

    static int index(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int shift = 63 - Long.numberOfLeadingZeros(value) - (SUB_BITS - 1); // value >>> shift in [HALF, SUB_BUCKETS)
        return SUB_BUCKETS + (shift - 1) * HALF + (int) (value >>> shift) - HALF;
    }

    static long lowerBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = (index - SUB_BUCKETS) / HALF + 1;
        long top = (index - SUB_BUCKETS) % HALF + HALF;
        return top << shift;
    }

    static long midpoint(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = (index - SUB_BUCKETS) / HALF + 1;
        return lowerBound(index) + (1L << shift) / 2;
    }
}
