package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.mq.core.MQException;
import dev.mq.core.SendStatus;
import dev.mq.core.client.ClientResources;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.send.DefaultProducer;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.metrics.MicrometerSendHook;
import dev.mq.core.testing.CapturedLogs;
import dev.mq.core.testing.ManualClock;
import dev.mq.core.testing.ManualTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Oneway sends: asynchronous sends without a future. They expect the broker's answer (so a busy
 * broker cannot drop them silently), hold an in-flight permit until it arrives, are retried like
 * any unordered send, and report their outcome to the hooks and, when they fail, a rate-limited WARN.
 */
class OnewaySendTest extends FakeClusterTestBase {

    /** The broker's SYSTEM_BUSY answer, e.g. to a request its full send queue rejects. */
    private static final int SYSTEM_BUSY = 2;
    private static final String LOGGER = DefaultProducer.class.getName();

    @Test
    void aOnewaySendTheBrokerFindsBusyIsRetriedAndStoredOnce() throws Exception {
        AtomicBoolean busyOnce = new AtomicBoolean();
        FakeBroker broker = broker("broker-a", request -> busyOnce.compareAndSet(false, true) ? SYSTEM_BUSY : 0);
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        List<SendContext> outcomes = new CopyOnWriteArrayList<>();
        Producer producer = producer(client(ns.address()), c -> c.hook(recording(outcomes)));

        try (CapturedLogs logs = CapturedLogs.of(LOGGER, Level.WARN)) {
            producer.sendOneway(message("Busy", "x"));
            waitUntil(() -> outcomes.stream().anyMatch(SendContext::isFinalAttempt));
            assertThat(logs.messages(Level.WARN)).as("a send that got through is no failure").isEmpty();
        }

        assertThat(broker.sends()).hasSize(2);
        assertThat(broker.sends()).as("the same message twice").extracting(s -> s.field("i"))
                .containsOnly(broker.sends().get(0).field("i"));
        assertThat(broker.offsets.get()).as("stored once").isEqualTo(1);
        assertThat(producer.stats().retries()).isEqualTo(1);
        assertThat(outcomes).hasSize(2);
        SendContext busy = outcomes.get(0);
        assertThat(busy.mode()).isEqualTo(SendMode.ONEWAY);
        assertThat(busy.isFinalAttempt()).isFalse();
        assertThat(busy.error()).isInstanceOfSatisfying(MQException.class,
                e -> assertThat(e.responseCode()).isEqualTo(SYSTEM_BUSY));
        SendContext stored = outcomes.get(1);
        assertThat(stored.isFinalAttempt()).isTrue();
        assertThat(stored.error()).isNull();
        assertThat(stored.result()).isNotNull();
        assertThat(stored.result().status()).isEqualTo(SendStatus.SEND_OK);
        assertThat(stored.result().queueOffset()).isZero();
        waitUntil(() -> producer.inFlightRequests() == 0);
    }

    @Test
    void aOnewaySendThatFailsAfterItsRetriesReachesTheHooksMetricsAndOneWarnButNotTheCaller() throws Exception {
        FakeBroker a = broker("broker-a", request -> SYSTEM_BUSY);
        FakeBroker b = broker("broker-b", request -> SYSTEM_BUSY);
        FakeServer ns = nameServer(topic -> route(2, a, b), 0);
        List<SendContext> outcomes = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Producer producer = producer(client(ns.address()),
                c -> c.hook(recording(outcomes)).hook(new MicrometerSendHook(registry)));

        try (CapturedLogs logs = CapturedLogs.of(LOGGER, Level.WARN)) {
            producer.sendOneway(message("Refused", "x")); // returns: nothing is thrown to the caller
            waitUntil(() -> outcomes.stream().anyMatch(SendContext::isFinalAttempt));

            assertThat(a.sends().size() + b.sends().size()).as("the first attempt and two retries").isEqualTo(3);
            SendContext last = outcomes.get(outcomes.size() - 1);
            assertThat(last.isFinalAttempt()).isTrue();
            assertThat(last.mode()).isEqualTo(SendMode.ONEWAY);
            assertThat(last.result()).isNull();
            assertThat(last.error()).isInstanceOfSatisfying(MQException.class, e -> {
                assertThat(e.reason()).isEqualTo(MQException.Reason.BROKER_REJECTED);
                assertThat(e.responseCode()).isEqualTo(SYSTEM_BUSY);
            });
            waitUntil(() -> logs.messages(Level.WARN).size() == 1);
            assertThat(logs.messages(Level.WARN).get(0))
                    .contains("producer '" + GROUP + "': 1 oneway send(s) failed")
                    .contains("topic 'Refused'")
                    .contains("remark of 2");
        }
        assertThat(registry.get(MicrometerSendHook.SEND).tag("mode", "oneway").tag("result", "failure")
                .tag("reason", "BROKER_REJECTED").timer().count()).isEqualTo(1);
        waitUntil(() -> producer.inFlightRequests() == 0);
    }

    @Test
    void failuresOfAStormAreLoggedOncePerIntervalWithTheirCount() throws Exception {
        ManualClock clock = new ManualClock();
        ManualTimer timer = new ManualTimer(clock);
        try (ClientResources resources = ClientResources.builder().name("oneway-storm").clock(clock).timer(timer)
                .build()) {
            FakeBroker broker = broker("broker-a", request -> 13); // refuses the message: no retry
            FakeServer ns = nameServer(topic -> route(4, broker), 0);
            MQClientInstance client = cluster.add(MQClientInstance.builder().nameServer(ns.address())
                    .resources(resources).build());
            client.start();
            List<SendContext> outcomes = new CopyOnWriteArrayList<>();
            Producer producer = producer(client, c -> c.hook(recording(outcomes)));

            try (CapturedLogs logs = CapturedLogs.of(LOGGER, Level.WARN)) {
                for (int i = 0; i < 20; i++) {
                    producer.sendOneway(message("Storm", "m-" + i));
                }
                waitUntil(() -> outcomes.size() == 20);
                waitUntil(() -> producer.inFlightRequests() == 0);
                assertThat(logs.messages(Level.WARN)).as("one line for the storm").hasSize(1);
                assertThat(logs.messages(Level.WARN).get(0)).contains("1 oneway send(s) failed");

                timer.advance(Duration.ofSeconds(9));
                producer.sendOneway(message("Storm", "before the interval"));
                waitUntil(() -> outcomes.size() == 21);
                assertThat(logs.messages(Level.WARN)).hasSize(1);

                timer.advance(Duration.ofSeconds(1));
                producer.sendOneway(message("Storm", "after the interval"));
                waitUntil(() -> logs.messages(Level.WARN).size() == 2);
                assertThat(logs.messages(Level.WARN).get(1))
                        .as("the 20 failures not logged before, and this one").contains("21 oneway send(s) failed");
            }
            client.close();
        }
    }

    @Test
    void theInFlightCapBlocksAOnewayCallerUntilAnAnswerArrives() throws Exception {
        FakeBroker broker = broker("broker-a");
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), c -> c.maxInFlightRequests(2)
                .sendTimeout(Duration.ofSeconds(10)));
        producer.sendOneway(message("Capped", "1"));
        producer.sendOneway(message("Capped", "2"));
        waitUntil(() -> broker.sends().size() == 2);

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread third = new Thread(() -> {
            try {
                producer.sendOneway(message("Capped", "3"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "oneway-caller");
        third.start();
        waitUntil(() -> third.getState() == Thread.State.TIMED_WAITING || third.getState() == Thread.State.WAITING);
        assertThat(third.isAlive()).as("waits for a permit").isTrue();
        assertThat(broker.sends()).hasSize(2);
        assertThat(producer.inFlightRequests()).isEqualTo(2);

        hold.complete(null);
        third.join(5_000);
        assertThat(third.isAlive()).isFalse();
        assertThat(thrown.get()).isNull();
        waitUntil(() -> broker.sends().size() == 3);
        waitUntil(() -> producer.inFlightRequests() == 0);
        assertThat(broker.offsets.get()).isEqualTo(3);
    }

    @Test
    void underFailBackpressureAOnewaySendPastTheCapThrowsAtOnce() throws Exception {
        FakeBroker broker = broker("broker-a", request -> null); // never answers
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), c -> c.maxInFlightRequests(1)
                .backpressure(BackpressurePolicy.FAIL).shutdownTimeout(Duration.ofMillis(100)));
        producer.sendOneway(message("Full", "1"));
        waitUntil(() -> broker.sends().size() == 1);

        assertThatThrownBy(() -> producer.sendOneway(message("Full", "2")))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.BACKPRESSURE));
        assertThat(broker.sends()).hasSize(1);
    }

    @Test
    void anOrderlyOnewaySendWaitsForTheAnswerOfTheOneBeforeItAndIsNeverRetried() throws Exception {
        FakeBroker broker = broker("broker-a");
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        List<SendContext> outcomes = new CopyOnWriteArrayList<>();
        Producer producer = producer(client(ns.address()), c -> c.hook(recording(outcomes)));

        producer.sendOneway(message("Lane", "C"), QueueSelectors.hash(), "key");
        waitUntil(() -> broker.sends().size() == 1);
        producer.sendOneway(message("Lane", "D"), QueueSelectors.hash(), "key");
        assertThat(producer.inFlightRequests()).isEqualTo(2);
        assertThat(broker.sends()).as("D waits for C's answer").hasSize(1);
        hold.complete(null);
        waitUntil(() -> broker.sends().size() == 2);
        assertThat(broker.sends()).extracting(FakeClusterTestBase::bodyOf).containsExactly("C", "D");
        waitUntil(() -> outcomes.size() == 2);

        // A busy answer to an orderly oneway send ends it: a retry on another queue would break the order.
        FakeBroker busy = broker("broker-b", request -> SYSTEM_BUSY);
        FakeServer busyNs = nameServer(topic -> route(4, busy), 0);
        List<SendContext> busyOutcomes = new CopyOnWriteArrayList<>();
        Producer busyProducer = FakeCluster.producer(client(busyNs.address()), "pg-busy",
                c -> c.hook(recording(busyOutcomes)));
        busyProducer.sendOneway(message("Lane", "E"), QueueSelectors.hash(), "key");
        waitUntil(() -> busyOutcomes.stream().anyMatch(SendContext::isFinalAttempt));
        assertThat(busy.sends()).hasSize(1);
        assertThat(busyOutcomes).hasSize(1);
        assertThat(busyProducer.stats().retries()).isZero();
    }

    @Test
    void closeWaitsForUnansweredOnewaySendsUntilTheirAnswers() throws Exception {
        FakeBroker broker = broker("broker-a");
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), c -> c.shutdownTimeout(Duration.ofSeconds(10)));
        for (int i = 0; i < 10; i++) {
            producer.sendOneway(message("Closing", "m-" + i));
        }
        waitUntil(() -> broker.sends().size() == 10);

        Thread closer = new Thread(producer::close, "closer");
        closer.start();
        waitUntil(() -> closer.getState() == Thread.State.TIMED_WAITING || closer.getState() == Thread.State.WAITING);
        assertThat(closer.isAlive()).as("close waits for the answers").isTrue();
        assertThat(producer.inFlightRequests()).isEqualTo(10);

        hold.complete(null);
        closer.join(5_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(producer.inFlightRequests()).isZero();
        assertThat(broker.offsets.get()).isEqualTo(10);
    }

    @Test
    void closeWaitsForUnansweredOnewaySendsNoLongerThanItsShutdownTimeout() throws Exception {
        FakeBroker broker = broker("broker-a", request -> null); // never answers
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), c -> c.sendTimeout(Duration.ofSeconds(30))
                .shutdownTimeout(Duration.ofMillis(300)));
        for (int i = 0; i < 5; i++) {
            producer.sendOneway(message("Silent", "m-" + i));
        }
        waitUntil(() -> broker.sends().size() == 5);

        try (CapturedLogs logs = CapturedLogs.of(LOGGER, Level.WARN)) {
            long start = System.nanoTime();
            producer.close();
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMs).isBetween(250L, 3_000L);
            assertThat(logs.messages(Level.WARN)).anyMatch(m -> m.contains("closed with 5 sends still in flight"));
        }
    }

    private static SendHook recording(List<SendContext> outcomes) {
        return new SendHook() {
            @Override
            public void afterSend(SendContext context) {
                outcomes.add(context);
            }
        };
    }
}
