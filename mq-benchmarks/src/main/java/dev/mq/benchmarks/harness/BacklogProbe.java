package dev.mq.benchmarks.harness;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * A push consumer with a slow handler over a backlog far larger than its heap, for a fixed time:
 * what its heap and its cache do. The heap is read two ways: after every collection (the sum of the
 * heap pools' usage right after it, from the collector's notifications: what survived, the cache
 * included) and sampled every {@code sampleMillis} (used now, garbage included); the cache as the
 * client counts it ({@link BenchConsumer#cache()}), sampled alike. The heap after a young collection
 * still holds the cached messages that died in the old generation since its last cleaning, which G1
 * leaves for as long as the heap has room: so every {@value #LIVE_EVERY_SECONDS} s, and at the end
 * (the consumer still running with its cache as full as the backlog keeps it), a full collection
 * gives the live heap.
 */
public final class BacklogProbe {

    private static final long MIB = 1024 * 1024;
    private static final long LIVE_EVERY_SECONDS = 10;

    private final BenchConsumer consumer;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final AtomicLong outOfMemory = new AtomicLong();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

    public BacklogProbe(BenchConsumer consumer) {
        this.consumer = consumer;
    }

    /**
     * Starts the consumer of {@code group} on {@code topic} from the first offset, each message
     * handled in {@code handlerMillis}; samples for {@code durationMillis}; closes it; answers the
     * figures as one line of key=value pairs.
     */
    public String run(String nameServer, String group, String topic, long handlerMillis, long durationMillis,
                      long sampleMillis) throws Exception {
        List<Runnable> unsubscribe = listenToCollections();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof OutOfMemoryError) {
                outOfMemory.incrementAndGet();
            }
            e.printStackTrace();
        });
        long maxUsed = 0;
        long maxLive = 0;
        long maxMessages = 0;
        long maxBytes = 0;
        BenchConsumer.Cache last = null;
        long liveAtEnd;
        long started = System.nanoTime();
        try {
            consumer.start(nameServer, group, topic, (queueId, queueOffset, sentAtMicros) -> {
                try {
                    Thread.sleep(handlerMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handled.incrementAndGet();
            });
            long end = started + TimeUnit.MILLISECONDS.toNanos(durationMillis);
            long nextLive = started + TimeUnit.SECONDS.toNanos(LIVE_EVERY_SECONDS);
            while (System.nanoTime() < end) {
                Thread.sleep(sampleMillis);
                if (System.nanoTime() >= nextLive) {
                    maxLive = Math.max(maxLive, liveHeap());
                    nextLive += TimeUnit.SECONDS.toNanos(LIVE_EVERY_SECONDS);
                }
                maxUsed = Math.max(maxUsed, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                last = consumer.cache();
                maxMessages = Math.max(maxMessages, last.messages());
                maxBytes = Math.max(maxBytes, last.bytes());
            }
            liveAtEnd = liveHeap();
            maxLive = Math.max(maxLive, liveAtEnd);
            last = consumer.cache();
        } catch (OutOfMemoryError e) {
            outOfMemory.incrementAndGet();
            throw e;
        } finally {
            unsubscribe.forEach(Runnable::run);
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        return String.format(Locale.ROOT, "handled=%d seconds=%d heap_max_mib=%.0f max_heap_after_gc_mib=%.1f "
                        + "max_heap_used_mib=%.1f max_live_heap_mib=%.1f live_heap_end_mib=%.1f collections=%d max_cached_messages=%d "
                        + "max_cached_mib=%.1f end_cached_messages=%d end_cached_mib=%.1f cap_messages=%d cap_mib=%.1f "
                        + "caps=%s oom=%d",
                handled.get(), seconds, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / (double) MIB,
                maxAfterGc.get() / (double) MIB, maxUsed / (double) MIB, maxLive / (double) MIB, liveAtEnd / (double) MIB, collections.get(),
                maxMessages, maxBytes / (double) MIB, last.messages(), last.bytes() / (double) MIB, last.capMessages(),
                last.capBytes() < 0 ? -1.0 : last.capBytes() / (double) MIB, last.caps(), outOfMemory.get());
    }

    /** The heap used right after a full collection. */
    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Notes the heap after every collection; answers how to stop listening. */
    private List<Runnable> listenToCollections() {
        List<Runnable> undo = new ArrayList<>();
        NotificationListener listener = (Notification n, Object handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long after = 0;
            for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(pool.getKey())) {
                    MemoryUsage usage = pool.getValue();
                    after += usage.getUsed();
                }
            }
            collections.incrementAndGet();
            maxAfterGc.accumulateAndGet(after, Math::max);
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                undo.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException e) {
                        // already gone
                    }
                });
            }
        }
        return undo;
    }
}
