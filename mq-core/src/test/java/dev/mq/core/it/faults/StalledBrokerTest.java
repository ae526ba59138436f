package dev.mq.core.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mq.core.MQException;
import dev.mq.core.MQException.Reason;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.it.faults.TimedSends.Outcome;
import dev.mq.core.producer.BackpressurePolicy;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.FaultProxy;
import dev.mq.test.FaultProxy.Direction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker hangs: a {@link FaultProxy} in front of it accepts requests and forwards nothing. Promises:
 * sync and async sends fail with TIMEOUT at their deadline (± 50 ms), and the in-flight cap holds —
 * with BLOCK the next caller waits and gets TIMEOUT at its deadline, with FAIL it gets BACKPRESSURE at
 * once.
 */
@FaultInjectionCluster
class StalledBrokerTest {

    private static final String TOPIC = "FaultStall";
    private static final int CAP = 16;
    private static final double SLACK_MILLIS = 50;

    private FaultProxy proxy;
    private ProxiedNameServer nameServer;
    private MQClientInstance client;
    private SchedulingStalls stalls;

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
        if (stalls != null) {
            stalls.close();
        }
        client.close();
        nameServer.close();
        proxy.close();
    }

    @Test
    void syncAndAsyncSendsTimeOutAtTheirDeadline() throws Exception {
        Producer producer = client.newProducer(ProducerConfig.builder().group("fault-stall").build());
        assertThat(producer.send(message("warm-up")).isOk()).isTrue(); // route cached, connection open
        proxy.stall();
        stalls = new SchedulingStalls();

        Duration timeout = Duration.ofMillis(1_000);
        TimedSends async = new TimedSends();
        for (int i = 0; i < 20; i++) {
            async.send(producer, message("async-" + i), timeout);
        }
        List<Double> syncElapsed = new ArrayList<>();
        List<MQException> syncErrors = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // one after another, while the async ones are pending
            long start = System.nanoTime();
            try {
                producer.send(message("sync-" + i), timeout);
            } catch (MQException e) {
                syncErrors.add(e);
            }
            syncElapsed.add((System.nanoTime() - start) / 1e6);
        }
        List<Outcome> outcomes = async.awaitAll(Duration.ofSeconds(5));
        stalls.close();

        double asyncMin = outcomes.stream().mapToDouble(Outcome::elapsedMillis).min().orElseThrow();
        double asyncMax = outcomes.stream().mapToDouble(Outcome::elapsedMillis).max().orElseThrow();
        Reliability.print("stalled-broker", "load %s; deadline %d ms: 20 async sends failed after %.1f..%.1f ms "
                        + "%s; 2 sync sends failed after %.1f and %.1f ms with %s; proxy held %d request bytes; "
                        + "worst JVM scheduling stall %.1f ms",
                Reliability.uptime(), timeout.toMillis(), asyncMin, asyncMax, TimedSends.reasons(outcomes),
                syncElapsed.get(0), syncElapsed.get(1), syncErrors.stream().map(MQException::reason).toList(),
                proxy.bytesReceived(Direction.CLIENT_TO_TARGET) - proxy.bytesForwarded(Direction.CLIENT_TO_TARGET),
                stalls.worstMillis());

        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(o.elapsedMillis()).as(stalls.describe())
                    .isCloseTo(timeout.toMillis(), within(SLACK_MILLIS));
        });
        assertThat(syncErrors).hasSize(2).allSatisfy(e -> {
            assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(e.getMessage()).contains(proxy.address());
        });
        assertThat(syncElapsed).allSatisfy(ms -> assertThat(ms).as(stalls.describe())
                .isCloseTo((double) timeout.toMillis(), within(SLACK_MILLIS)));
    }

    @Test
    void inFlightCapHoldsWhileTheBrokerHangs() throws Exception {
        Producer blocking = client.newProducer(ProducerConfig.builder().group("fault-stall-block")
                .maxInFlightRequests(CAP).backpressure(BackpressurePolicy.BLOCK).build());
        Producer failing = client.newProducer(ProducerConfig.builder().group("fault-stall-fail")
                .maxInFlightRequests(CAP).backpressure(BackpressurePolicy.FAIL).build());
        assertThat(blocking.send(message("warm-up")).isOk()).isTrue();
        proxy.stall();

        Duration held = Duration.ofSeconds(10);
        List<CompletableFuture<SendResult>> parked = new ArrayList<>();
        for (int i = 0; i < CAP; i++) {
            parked.add(blocking.sendAsync(message("held-block-" + i), held));
            parked.add(failing.sendAsync(message("held-fail-" + i), held));
        }
        assertThat(blocking.inFlightRequests()).isEqualTo(CAP);
        assertThat(failing.inFlightRequests()).isEqualTo(CAP);
        stalls = new SchedulingStalls();

        // BLOCK: the 17th caller waits for capacity until its own deadline, then gets TIMEOUT.
        Duration deadline = Duration.ofMillis(500);
        long t0 = System.nanoTime();
        CompletableFuture<SendResult> blockedAsync = blocking.sendAsync(message("17th-async"), deadline);
        double asyncCallMillis = (System.nanoTime() - t0) / 1e6;
        MQException asyncError = failure(blockedAsync);
        long t1 = System.nanoTime();
        MQException syncError = failure(() -> blocking.send(message("17th-sync"), deadline));
        double syncCallMillis = (System.nanoTime() - t1) / 1e6;

        // FAIL: the 17th caller is refused at once.
        long t2 = System.nanoTime();
        CompletableFuture<SendResult> refusedAsync = failing.sendAsync(message("17th-async"), deadline);
        double refusedAsyncMillis = (System.nanoTime() - t2) / 1e6;
        long t3 = System.nanoTime();
        MQException refusedSync = failure(() -> failing.send(message("17th-sync"), deadline));
        double refusedSyncMillis = (System.nanoTime() - t3) / 1e6;
        MQException refusedAsyncError = failure(refusedAsync);

        stalls.close();
        int inFlightBlock = blocking.inFlightRequests();
        int inFlightFail = failing.inFlightRequests();
        // Un-stall: the held requests reach the broker and are answered within their deadline.
        proxy.normal();
        List<SendResult> released = new ArrayList<>();
        for (CompletableFuture<SendResult> f : parked) {
            released.add(f.get(held.toMillis() + 1_000, TimeUnit.MILLISECONDS));
        }

        Reliability.print("in-flight-cap", "load %s; cap %d, broker stalled: BLOCK 17th caller waited %.1f ms (async) "
                        + "and %.1f ms (sync) for a %d ms deadline -> %s/%s; FAIL 17th caller refused after %.2f ms "
                        + "(async) and %.2f ms (sync) -> %s/%s; %d held sends SEND_OK after the stall ended; worst JVM "
                        + "scheduling stall %.1f ms",
                Reliability.uptime(), CAP, asyncCallMillis, syncCallMillis, deadline.toMillis(), asyncError.reason(),
                syncError.reason(), refusedAsyncMillis, refusedSyncMillis, refusedAsyncError.reason(),
                refusedSync.reason(), released.stream().filter(SendResult::isOk).count(), stalls.worstMillis());

        assertThat(inFlightBlock).isEqualTo(CAP);
        assertThat(inFlightFail).isEqualTo(CAP);
        assertThat(blockedAsync).isDone(); // the caller itself waited: the future is failed when the call returns
        for (MQException e : List.of(asyncError, syncError)) {
            assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(e.getMessage()).contains("in-flight cap (" + CAP + " requests");
        }
        assertThat(asyncCallMillis).as(stalls.describe()).isCloseTo((double) deadline.toMillis(), within(SLACK_MILLIS));
        assertThat(syncCallMillis).as(stalls.describe()).isCloseTo((double) deadline.toMillis(), within(SLACK_MILLIS));
        assertThat(refusedAsync).isDone();
        for (MQException e : List.of(refusedAsyncError, refusedSync)) {
            assertThat(e.reason()).isEqualTo(Reason.BACKPRESSURE);
        }
        assertThat(refusedAsyncMillis).as(stalls.describe()).isLessThan(SLACK_MILLIS);
        assertThat(refusedSyncMillis).as(stalls.describe()).isLessThan(SLACK_MILLIS);
        assertThat(released).hasSize(2 * CAP).allMatch(SendResult::isOk);
    }

    private static Message message(String body) {
        return Message.builder(TOPIC).body(body).build();
    }

    private static MQException failure(CompletableFuture<SendResult> future) throws InterruptedException {
        try {
            SendResult unexpected = future.get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + unexpected);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(MQException.class);
            return (MQException) e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the send did not complete within 5 s", e);
        }
    }

    private static MQException failure(Runnable send) {
        try {
            send.run();
        } catch (MQException e) {
            return e;
        }
        throw new AssertionError("expected the send to fail");
    }
}
