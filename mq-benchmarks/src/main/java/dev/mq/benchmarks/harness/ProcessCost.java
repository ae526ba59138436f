package dev.mq.benchmarks.harness;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * A snapshot of what this JVM has spent so far: process CPU time (all threads, dead ones included)
 * and the bytes allocated by each live thread. The difference of two snapshots is the cost of what
 * ran between them. Threads that die between the snapshots are missed by the allocation figure, so
 * the harness keeps its own sending threads alive across both.
 */
public final class ProcessCost {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        if (THREADS.isThreadAllocatedMemorySupported() && !THREADS.isThreadAllocatedMemoryEnabled()) {
            THREADS.setThreadAllocatedMemoryEnabled(true);
        }
    }

    private final long cpuNanos;
    private final Map<Long, Long> allocatedByThread;

    private ProcessCost(long cpuNanos, Map<Long, Long> allocatedByThread) {
        this.cpuNanos = cpuNanos;
        this.allocatedByThread = allocatedByThread;
    }

    public static ProcessCost now() {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, Long> allocated = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                allocated.put(ids[i], bytes[i]);
            }
        }
        return new ProcessCost(OS.getProcessCpuTime(), allocated);
    }

    /** CPU nanoseconds this process spent since {@code earlier}. */
    public long cpuNanosSince(ProcessCost earlier) {
        return cpuNanos - earlier.cpuNanos;
    }

    /**
     * Bytes allocated since {@code earlier} by the threads alive now (a thread born in between counts
     * from zero).
     */
    public long allocatedBytesSince(ProcessCost earlier) {
        long total = 0;
        for (Map.Entry<Long, Long> e : allocatedByThread.entrySet()) {
            total += e.getValue() - earlier.allocatedByThread.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }
}
