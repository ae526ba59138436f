package dev.mq.core.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.it.faults.TimedSends.Outcome;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.core.producer.SendContext;
import dev.mq.core.producer.SendHook;
import dev.mq.test.EmbeddedRocketMQ;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One broker of two dies mid-load and comes back. Promises: every send still succeeds, on the
 * surviving broker, within one retry (counted by a {@link SendHook}); once the broker is back and its
 * fault-tolerance penalty (10 s after its last failure) has passed, traffic spreads over both again.
 */
@TwoBrokerCluster
class TwoBrokerFailoverTest {

    static final String TOPIC = "FaultSpread";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final int BATCH = 50;

    @BeforeAll
    static void createTopic(EmbeddedRocketMQ mq) {
        mq.createTopic(TOPIC, 4);
    }

    @AfterEach
    void restore(EmbeddedRocketMQ mq) {
        mq.startBroker(1);
    }

    @Test
    void sendsMoveToTheSurvivorWithinOneRetryAndSpreadAgainWhenItReturns(EmbeddedRocketMQ mq) throws Exception {
        AttemptCounter attempts = new AttemptCounter();
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .routeRefreshInterval(Duration.ofSeconds(1)).build()) {
            client.start();
            // 256 in flight, as in the crash test: with the default 4,096 the survivor of a busy machine queues
            // requests past its 1 s send-queue wait and answers "broker busy", a failure the kill did not cause.
            Producer producer = client.newProducer(ProducerConfig.builder().group("fault-failover")
                    .sendTimeout(TIMEOUT).maxInFlightRequests(256).hook(attempts).build());
            String survivor = mq.brokerName(0);
            String victim = mq.brokerName(1);

            // Both brokers take traffic.
            Map<String, Integer> before = perBroker(sendBatches(producer, "before", 8));
            assertThat(before.keySet()).containsExactlyInAnyOrder(survivor, victim);
            // A slow answer (a cold broker on a busy machine) keeps sends away from a broker for 2 s or more:
            // the kill below must find both in rotation, so wait (bounded) until a batch spreads over both.
            awaitEvenSpread(producer, survivor, victim);

            // Kill broker-1 while sends are on the wire to both, and keep sending.
            TimedSends during = new TimedSends();
            int inFlightAtKill = -1;
            long killedAt = 0;
            for (int i = 0; i < 3_000; i++) {
                if (inFlightAtKill < 0 && i >= 500 && (attempts.inFlightOn(victim) >= 20 || i >= 2_000)) {
                    inFlightAtKill = producer.inFlightRequests();
                    killedAt = System.nanoTime();
                    mq.stopBroker(1);
                }
                during.send(producer, Message.builder(TOPIC).body("during-" + i).build(), TIMEOUT);
            }
            List<Outcome> duringOutcomes = during.awaitAll(TIMEOUT.plusSeconds(5));
            long stoppedAt = System.nanoTime();
            Map<Integer, Integer> attemptsDuring = attempts.finalAttempts();
            int victimRequestsInDoubt = attempts.failedAttemptsOn(victim);

            // Bring it back; wait (bounded) until a send lands on it again. The penalty of its last failure
            // (10 s) and a route refresh (1 s) have to pass first.
            mq.startBroker(1);
            long restartedAt = System.nanoTime();
            long bound = restartedAt + TimeUnit.SECONDS.toNanos(30);
            int batchesUntilBack = 0;
            while (System.nanoTime() < bound) {
                batchesUntilBack++;
                if (perBroker(sendBatches(producer, "return", 1)).containsKey(victim)) {
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // probe every 100 ms
            }
            double backAfterRestart = (System.nanoTime() - restartedAt) / 1e9;
            double backAfterKill = (System.nanoTime() - killedAt) / 1e9;
            // A restarted broker's first answers may be slow on a busy machine (a cold JVM): an answer of
            // 550 ms or more keeps sends away from it for 2 s or more, as intended. The spread is measured
            // once a batch has found both again (bounded, as before the kill).
            awaitEvenSpread(producer, survivor, victim);
            Map<String, Integer> after = perBroker(sendBatches(producer, "after", 8));

            long ok = duringOutcomes.stream().filter(Outcome::ok).count();
            Map<String, Integer> duringBrokers = perBroker(duringOutcomes.stream().filter(Outcome::ok)
                    .map(Outcome::result).toList());
            Reliability.print("two-broker-failover", "load %s; broker-1 SIGKILLed with %d in flight: %d/%d sends "
                            + "SEND_OK %s (of %d ms), final attempt number -> sends %s, %d attempts failed on "
                            + "broker-1; broker-1 took traffic again %.1f s after its restart (%.1f s after the kill, "
                            + "%d probe batches); spread of %d sends before %s, after %s; failed attempts %s",
                    Reliability.uptime(), inFlightAtKill, ok, duringOutcomes.size(), duringBrokers,
                    (stoppedAt - killedAt) / 1_000_000, attemptsDuring, victimRequestsInDoubt, backAfterRestart,
                    backAfterKill, batchesUntilBack, 8 * BATCH, before, after, attempts.failures());

            assertThat(duringOutcomes).hasSize(3_000).allSatisfy(o -> assertThat(o.ok())
                    .as(String.valueOf(o.error())).isTrue());
            assertThat(attempts.finalAttempts().keySet()).as("final attempt numbers, whole test; failed attempts: %s",
                    attempts.failures()).allMatch(n -> n <= 2);
            assertThat(attemptsDuring).as("some sends needed their one retry").containsKey(2);
            assertThat(after.keySet()).containsExactlyInAnyOrder(survivor, victim);
            for (int share : after.values()) {
                assertThat(share).as("share of %d sends per broker", 8 * BATCH).isGreaterThanOrEqualTo(8 * BATCH / 4);
            }
        }
    }

    /** {@code batches} batches of {@link #BATCH} async sends, each batch awaited before the next. */
    private static List<SendResult> sendBatches(Producer producer, String label, int batches) {
        List<SendResult> results = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            TimedSends batch = new TimedSends();
            for (int i = 0; i < BATCH; i++) {
                batch.send(producer, Message.builder(TOPIC).body(label + "-" + b + "-" + i).build(), TIMEOUT);
            }
            for (Outcome o : batch.awaitAll(TIMEOUT.plusSeconds(2))) {
                assertThat(o.ok()).as(label + ": " + o.error()).isTrue();
                results.add(o.result());
            }
        }
        return results;
    }

    private static void awaitEvenSpread(Producer producer, String... brokers) {
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Integer> spread = Map.of();
        while (System.nanoTime() < bound) {
            Map<String, Integer> batch = perBroker(sendBatches(producer, "spread", 1));
            spread = batch;
            if (java.util.Arrays.stream(brokers).allMatch(b -> batch.getOrDefault(b, 0) >= BATCH / 4)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // probe every 100 ms
        }
        throw new AssertionError("the brokers never shared a batch within 30 s; last spread " + spread);
    }

    private static Map<String, Integer> perBroker(List<SendResult> results) {
        return results.stream().collect(Collectors.groupingBy(r -> r.queue().brokerName(), TreeMap::new,
                Collectors.summingInt(r -> 1)));
    }

    /** Counts, per send, the number of its final attempt (1: no retry), and failed attempts per broker. */
    private static final class AttemptCounter implements SendHook {

        private final Map<Integer, AtomicInteger> finalAttempts = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> failedOn = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

        @Override
        public void beforeSend(SendContext context) {
            if (context.brokerName() != null) {
                inFlight.computeIfAbsent(context.brokerName(), b -> new AtomicInteger()).incrementAndGet();
            }
        }

        @Override
        public void afterSend(SendContext context) {
            if (context.brokerName() != null) {
                inFlight.computeIfAbsent(context.brokerName(), b -> new AtomicInteger()).decrementAndGet();
            }
            if (context.error() != null && context.brokerName() != null) {
                failedOn.computeIfAbsent(context.brokerName(), b -> new AtomicInteger()).incrementAndGet();
                String kind = context.brokerName() + " " + String.valueOf(context.error().getMessage())
                        .replaceAll("[0-9]+", "N");
                failures.computeIfAbsent(kind.length() > 140 ? kind.substring(0, 140) : kind,
                        k -> new AtomicInteger()).incrementAndGet();
            }
            if (context.isFinalAttempt()) {
                finalAttempts.computeIfAbsent(context.attempt(), a -> new AtomicInteger()).incrementAndGet();
            }
        }

        /** Attempt number of the final attempt -> number of sends, so far. */
        Map<Integer, Integer> finalAttempts() {
            Map<Integer, Integer> snapshot = new TreeMap<>();
            finalAttempts.forEach((k, v) -> snapshot.put(k, v.get()));
            return snapshot;
        }

        /** Failed attempts by broker and (digit-masked) error message. */
        Map<String, Integer> failures() {
            Map<String, Integer> snapshot = new TreeMap<>();
            failures.forEach((k, v) -> snapshot.put(k, v.get()));
            return snapshot;
        }

        /** Attempts on {@code broker} that have begun and not ended. */
        int inFlightOn(String broker) {
            AtomicInteger n = inFlight.get(broker);
            return n == null ? 0 : n.get();
        }

        int failedAttemptsOn(String broker) {
            AtomicInteger n = failedOn.get(broker);
            return n == null ? 0 : n.get();
        }
    }
}
