package dev.mq.core.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Message;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.transport.SilentServer;
import dev.mq.core.it.faults.TimedSends.Outcome;
import dev.mq.core.producer.BackpressurePolicy;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A broker that stops reading — a frozen JVM, a partition that drops packets without a reset — closes
 * its TCP window. The client must not keep writing into its own outbound buffer: the bytes it holds for
 * the connection stay within a small multiple of the producer's in-flight byte cap, however long the
 * stall lasts, and every send still completes by its deadline.
 *
 * <p>The "broker" here accepts connections with a small receive buffer and never reads a byte. No real
 * cluster is needed: a stand-in NameServer routes the topic to it.
 */
class SilentBrokerMemoryTest {

    private static final String TOPIC = "SilentBroker";
    private static final int CAP_BYTES = 1 << 20;
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final int BODY_BYTES = 16 * 1024;
    private static final int THREADS = 4;
    private static final double SLACK_MILLIS = 50;
    /** The run length; the default is the length the unbounded growth was first measured over. */
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("mq.silent-broker.seconds", 30));

    @Test
    void aBrokerThatStopsReadingCannotGrowClientMemoryBeyondASmallMultipleOfTheCap() throws Exception {
        try (SilentServer broker = new SilentServer();
             ProxiedNameServer nameServer = new ProxiedNameServer().route(TOPIC, "broker-silent", broker.address(), 4);
             SchedulingStalls stalls = new SchedulingStalls()) {
            MQClientInstance client = MQClientInstance.builder().nameServer(nameServer.address()).build();
            client.start();
            try {
                Producer producer = client.newProducer(ProducerConfig.builder().group("silent-broker")
                        .maxInFlightBytes(CAP_BYTES).maxMessageSize(64 * 1024).sendTimeout(TIMEOUT).backpressure(BackpressurePolicy.BLOCK)
                        .shutdownTimeout(Duration.ofMillis(100)).build());
                DirectMemory memory = new DirectMemory();
                long baseline = memory.now();
                TimedSends sends = new TimedSends();
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> senders = new CopyOnWriteArrayList<>();
                // Incompressible bodies, made once: the frame carries all 16 KiB, and the test itself adds
                // little garbage (its GC pauses would count as lateness of ours).
                Random random = new Random(42);
                byte[][] bodies = new byte[256][BODY_BYTES];
                for (byte[] body : bodies) {
                    random.nextBytes(body);
                }
                for (int t = 0; t < THREADS; t++) {
                    int first = t;
                    Thread sender = new Thread(() -> {
                        for (int i = first; running.get(); i += THREADS) {
                            Message message = Message.builder(TOPIC).body(bodies[i % bodies.length]).build();
                            sends.send(producer, message, TIMEOUT, null);
                        }
                    }, "silent-broker-sender-" + t);
                    senders.add(sender);
                    sender.start();
                }
                long end = System.nanoTime() + RUN.toNanos();
                while (System.nanoTime() < end) {
                    memory.sample();
                    Thread.sleep(5); // sampling period, not a wait for an outcome
                }
                running.set(false);
                for (Thread sender : senders) {
                    sender.join(5_000);
                }
                List<Outcome> outcomes = sends.awaitAll(Duration.ofSeconds(10));
                double maxLateness = TimedSends.maxLatenessMillis(outcomes);
                String latest = outcomes.stream().sorted(java.util.Comparator.comparingDouble(Outcome::latenessMillis)
                                .reversed()).limit(3)
                        .map(o -> String.format(java.util.Locale.ROOT, "%.1f ms %s", o.latenessMillis(),
                                o.error() == null ? "ok" : o.reason() + ": " + o.error().getMessage()))
                        .toList().toString();
                long peak = memory.peak() - baseline;
                Reliability.print("silent-broker", "load %s; %d s, %d threads x async 16 KiB sends, cap %d KiB, "
                                + "timeout %d ms, broker never reads: %d sends, %d SEND_OK, failed %s; max lateness vs "
                                + "deadline %.1f ms (latest: %s); direct memory baseline %.1f MiB, peak +%.1f MiB (%.1f x the cap), "
                                + "%s; %s", Reliability.uptime(), RUN.toSeconds(), THREADS, CAP_BYTES / 1024,
                        TIMEOUT.toMillis(), outcomes.size(), sends.succeeded(), TimedSends.errorKinds(outcomes),
                        maxLateness, latest, baseline / 1048576.0, peak / 1048576.0, (double) peak / CAP_BYTES,
                        memory.describe(), stalls.describe());

                assertThat(outcomes).isNotEmpty();
                assertThat(maxLateness).as("latest completion vs its deadline, ms (%s)", stalls.describe())
                        .isLessThanOrEqualTo(SLACK_MILLIS);
                // Live frames (bounded by the cap), the socket's outbound buffer (bounded by its high-water
                // mark) and the pooled allocator's chunk granularity: a small multiple, not a rate.
                assertThat(peak).as("direct memory growth over the run, bytes (cap %d)", CAP_BYTES)
                        .isLessThanOrEqualTo(8L * CAP_BYTES);
            } finally {
                client.close();
            }
        }
    }

    /** Direct memory as Netty counts it (its own counter when it allocates without cleaners) plus the JDK's pool. */
    private static final class DirectMemory {

        private final BufferPoolMXBean jdkPool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        private final AtomicLong peak = new AtomicLong();

        long now() {
            return Math.max(0, PlatformDependent.usedDirectMemory()) + jdkPool.getMemoryUsed();
        }

        void sample() {
            peak.accumulateAndGet(now(), Math::max);
        }

        long peak() {
            return peak.get();
        }

        String describe() {
            return "netty counter " + (PlatformDependent.usedDirectMemory() < 0 ? "off" : "on");
        }
    }
}
