package dev.mq.core.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException.Reason;
import dev.mq.core.Message;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.it.faults.TimedSends.Outcome;
import dev.mq.core.producer.BackpressurePolicy;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.FaultProxy;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 100 times more async sends than the in-flight cap, from several threads, against a slow broker (a
 * {@link FaultProxy} delays every answer). Promises: memory stays bounded by the cap, callers block
 * (BLOCK) or are refused with BACKPRESSURE (FAIL) as configured, and nothing is dropped silently —
 * every future completes and successes + failures = sends.
 */
@FaultInjectionCluster
class OverloadTest {

    private static final String TOPIC = "FaultOverload";
    private static final int CAP = 64;
    private static final int THREADS = 4;
    private static final int SENDS = 100 * CAP;
    private static final int BODY_BYTES = 16 * 1024;
    /** Every answer is held this long, so one request occupies a permit for at least this long. */
    private static final Duration ANSWER_DELAY = Duration.ofMillis(20);
    /** If the producer kept every message it was given, the heap would grow by at least this much. */
    private static final long ALL_BODIES = (long) SENDS * BODY_BYTES;
    private static final long HEAP_BOUND = 24L << 20;

    private FaultProxy proxy;
    private ProxiedNameServer nameServer;
    private MQClientInstance client;

    @BeforeAll
    static void topic(EmbeddedRocketMQ mq) {
        mq.createTopic(TOPIC, 4);
    }

    @BeforeEach
    void start(EmbeddedRocketMQ mq) {
        proxy = FaultProxy.start(mq.brokerAddress(0));
        nameServer = new ProxiedNameServer().route(TOPIC, mq.brokerName(0), proxy.address(), 4);
        client = MQClientInstance.builder().nameServer(nameServer.address()).build();
        client.start();
    }

    @AfterEach
    void stop() {
        client.close();
        nameServer.close();
        proxy.close();
    }

    @Test
    void blockPolicyMakesCallersWaitAndKeepsMemoryBounded() throws Exception {
        Producer producer = producer(BackpressurePolicy.BLOCK, "fault-overload-block");
        Run run = overload(producer, true);

        // A request holds its permit for at least ANSWER_DELAY, so with the cap holding, issuing every
        // send cannot take less than this: the callers were made to wait.
        double floorMillis = (double) (SENDS - CAP) / CAP * ANSWER_DELAY.toMillis();
        Reliability.print("overload-block", "load %s; cap %d, %d threads x %d async sends of %d KiB, answers delayed "
                        + "%d ms: issuing took %d ms (floor %.0f ms if the cap holds), longest single call blocked "
                        + "%.1f ms, max in flight %d; %d SEND_OK, %d failed %s; used heap after GC before %.1f MiB, "
                        + "mid-load %.1f MiB (%+.1f), after %.1f MiB (%+.1f); all bodies together %.0f MiB",
                Reliability.uptime(), CAP, THREADS, SENDS / THREADS, BODY_BYTES / 1024, ANSWER_DELAY.toMillis(),
                run.issueMillis, floorMillis, run.longestCallMillis, run.maxInFlight, run.ok, run.failed,
                run.reasons, mib(run.heapBefore), mib(run.heapMid), mib(run.heapMid - run.heapBefore),
                mib(run.heapAfter), mib(run.heapAfter - run.heapBefore), mib(ALL_BODIES));

        assertThat(run.ok + run.failed).isEqualTo(SENDS);
        assertThat(run.ok).isEqualTo(SENDS); // BLOCK with a generous deadline: every send goes through, in time
        assertThat(run.maxInFlight).isLessThanOrEqualTo(CAP);
        assertThat((double) run.issueMillis).isGreaterThanOrEqualTo(floorMillis);
        assertThat(run.heapMid - run.heapBefore).isLessThan(HEAP_BOUND);
        assertThat(run.heapAfter - run.heapBefore).isLessThan(HEAP_BOUND);
    }

    @Test
    void failPolicyRefusesAtOnceAndAccountsForEverySend() throws Exception {
        Producer producer = producer(BackpressurePolicy.FAIL, "fault-overload-fail");
        Run run = overload(producer, false);

        double floorMillis = (double) (SENDS - CAP) / CAP * ANSWER_DELAY.toMillis();
        Reliability.print("overload-fail", "load %s; cap %d, %d threads x %d async sends of %d KiB, answers delayed "
                        + "%d ms: issuing took %d ms, longest single call %.1f ms, max in flight %d; %d SEND_OK, %d "
                        + "failed %s; used heap after GC before %.1f MiB, after %.1f MiB (%+.1f)",
                Reliability.uptime(), CAP, THREADS, SENDS / THREADS, BODY_BYTES / 1024, ANSWER_DELAY.toMillis(),
                run.issueMillis, run.longestCallMillis, run.maxInFlight, run.ok, run.failed, run.reasons,
                mib(run.heapBefore), mib(run.heapAfter), mib(run.heapAfter - run.heapBefore));

        assertThat(run.ok + run.failed).isEqualTo(SENDS);
        assertThat(run.ok).isPositive();
        assertThat(run.reasons).containsOnlyKeys(Reason.BACKPRESSURE);
        assertThat(run.maxInFlight).isLessThanOrEqualTo(CAP);
        // Nobody waited: all sends were issued faster than a blocked run possibly could be.
        assertThat((double) run.issueMillis).isLessThan(floorMillis);
        assertThat(run.heapAfter - run.heapBefore).isLessThan(HEAP_BOUND);
    }

    private Producer producer(BackpressurePolicy policy, String group) {
        Producer producer = client.newProducer(ProducerConfig.builder().group(group)
                .maxInFlightRequests(CAP).backpressure(policy)
                .sendTimeout(Duration.ofSeconds(30))
                .compressThreshold(4 * 1024 * 1024) // bodies stay as big as given
                .build());
        assertThat(producer.send(Message.builder(TOPIC).body("warm-up").build()).isOk()).isTrue();
        proxy.latency(Duration.ZERO, ANSWER_DELAY);
        return producer;
    }

    /** Sends {@link #SENDS} messages from {@link #THREADS} threads and measures what happened. */
    private Run overload(Producer producer, boolean measureMidLoad) throws InterruptedException {
        Run run = measure(producer, measureMidLoad);
        // Measured once this test has dropped its own records of the sends: what remains is the client's.
        run.heapAfter = usedHeapAfterGc();
        return run;
    }

    private Run measure(Producer producer, boolean measureMidLoad) throws InterruptedException {
        Run run = new Run();
        run.heapBefore = usedHeapAfterGc();
        TimedSends sends = new TimedSends();
        AtomicLong longestCall = new AtomicLong();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                maxInFlight.accumulateAndGet(producer.inFlightRequests(), Math::max);
                LockSupport.parkNanos(100_000);
            }
        }, "overload-sampler");
        sampler.start();

        List<Thread> senders = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < SENDS / THREADS; i++) {
                    byte[] body = new byte[BODY_BYTES]; // a body of its own, as a real caller's would be
                    body[0] = (byte) thread;
                    body[1] = (byte) i;
                    long callStart = System.nanoTime();
                    sends.send(producer, Message.builder(TOPIC).body(body).build(), Duration.ofSeconds(30), null);
                    longestCall.accumulateAndGet(System.nanoTime() - callStart, Math::max);
                }
            }, "overload-sender-" + t);
            senders.add(sender);
            sender.start();
        }
        if (measureMidLoad) {
            long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sends.issued() < SENDS / 2 && System.nanoTime() < bound) {
                LockSupport.parkNanos(1_000_000);
            }
            assertThat(sends.issued()).as("half the sends issued within 30 s").isGreaterThanOrEqualTo(SENDS / 2);
            run.heapMid = usedHeapAfterGc();
        }
        for (Thread sender : senders) {
            sender.join(60_000);
            assertThat(sender.isAlive()).as(sender.getName() + " finished").isFalse();
        }
        run.issueMillis = (System.nanoTime() - start) / 1_000_000;
        List<Outcome> outcomes = sends.awaitAll(Duration.ofSeconds(40));
        sampling.set(false);
        sampler.join(5_000);

        run.longestCallMillis = longestCall.get() / 1e6;
        run.maxInFlight = maxInFlight.get();
        run.ok = (int) outcomes.stream().filter(Outcome::ok).count();
        run.failed = outcomes.size() - run.ok;
        run.reasons = TimedSends.reasons(outcomes);
        assertThat(outcomes.stream().filter(o -> !o.ok()).allMatch(o -> o.reason() != null))
                .as("every failure is an MQException with a reason").isTrue();
        return run;
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** What one overload run measured. */
    private static final class Run {
        long heapBefore;
        long heapMid;
        long heapAfter;
        long issueMillis;
        double longestCallMillis;
        int maxInFlight;
        int ok;
        int failed;
        Map<Reason, Integer> reasons;
    }
}
