package dev.mq.core.producer;

import static dev.mq.core.testing.Wire.frame;
import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.failure;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.metrics.MicrometerSendHook;
import dev.mq.core.protocol.Compression;
import dev.mq.core.protocol.RequestCode;
import dev.mq.core.protocol.SysFlag;
import dev.mq.core.remoting.FakeServer;
import dev.mq.core.remoting.RemotingCommand;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import dev.mq.core.producer.SendContext;
import dev.mq.core.producer.SendHook;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The producer against fake servers: a real {@link MQClientInstance} talks to a {@link FakeServer}
 * playing the NameServer and others playing brokers, so every behaviour is observed on the wire.
 */
class ProducerBehaviourTest {

    private static final String GROUP = "pg-behaviour";
    private static final String IO_THREAD_PREFIX = "mq-io-";
    private static final int GET_ROUTE = RequestCode.GET_ROUTEINFO_BY_TOPIC;

    private final FakeCluster cluster = new FakeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    // ------------------------------------------------------------------ route lookup

    @Test
    void concurrentSendsToAnUnknownTopicTriggerExactlyOneRouteRequest() throws Exception {
        FakeBroker broker = broker("broker-a");
        CompletableFuture<Void> allSubmitted = new CompletableFuture<>();
        FakeServer ns = nameServer(topic -> topic.equals("Coalesced") ? route(4, broker) : null, 200, allSubmitted);
        Producer producer = producer(client(ns.address()), b -> b);

        int threads = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<CompletableFuture<SendResult>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    go.await();
                    List<CompletableFuture<SendResult>> futures = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        futures.add(producer.sendAsync(message("Coalesced", "t" + thread + "-" + i)));
                    }
                    return futures;
                }));
            }
            go.countDown();
            List<CompletableFuture<SendResult>> all = new ArrayList<>();
            for (Future<List<CompletableFuture<SendResult>>> f : submitted) {
                all.addAll(f.get(5, TimeUnit.SECONDS));
            }
            // Every send was issued while the lookup was under way: the name server holds its answer.
            assertThat(all).noneMatch(CompletableFuture::isDone);
            allSubmitted.complete(null);
            for (CompletableFuture<SendResult> f : all) {
                assertThat(f.get(5, TimeUnit.SECONDS).status()).isEqualTo(SendStatus.SEND_OK);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(routeRequests(ns, "Coalesced")).isEqualTo(1);
        assertThat(ns.received()).extracting(RemotingCommand::code).containsOnly(GET_ROUTE).hasSize(1);
        assertThat(broker.sends()).hasSize(threads * perThread);
    }

    @Test
    void asyncSendsFromOneThreadReachTheBrokerInCallOrderIncludingThoseThatWaitedForTheRoute() throws Exception {
        FakeBroker broker = broker("broker-a");
        AtomicLong routeAnsweredAt = new AtomicLong();
        FakeServer ns = nameServer(topic -> {
            routeAnsweredAt.set(System.nanoTime()); // (the answer is written 200 ms after this)
            return route(4, broker);
        }, 200);
        Producer producer = producer(client(ns.address()), b -> b);

        int n = 600;
        List<String> bodies = new ArrayList<>();
        long[] issuedAt = new long[n];
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = "m-" + i;
            bodies.add(body);
            issuedAt[i] = System.nanoTime();
            futures.add(producer.sendAsync(message("Ordered", body)));
            LockSupport.parkNanos(500_000); // pace the sends so that they span the route lookup
        }
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(f.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        }
        long answered = routeAnsweredAt.get() + TimeUnit.MILLISECONDS.toNanos(200);
        long waitedForRoute = Arrays.stream(issuedAt).filter(t -> t < answered).count();
        assertThat(waitedForRoute).as("sends issued before the route was known").isGreaterThan(10).isLessThan(n);

        assertThat(broker.sends()).extracting(ProducerBehaviourTest::bodyOf).containsExactlyElementsOf(bodies);
        assertThat(routeRequests(ns, "Ordered")).isEqualTo(1);
    }

    @Test
    void orderlyAsyncSendsWithOneKeyReachOneQueueInCallOrder() throws Exception {
        FakeBroker a = broker("broker-a");
        FakeBroker b = broker("broker-b");
        FakeServer ns = nameServer(topic -> route(4, a, b), 100);
        Producer producer = producer(client(ns.address()), c -> c);

        List<String> bodies = new ArrayList<>();
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String body = "step-" + i;
            bodies.add(body);
            futures.add(producer.sendAsync(message("OrderlyOrder", body), QueueSelectors.hash(), "order-42"));
            LockSupport.parkNanos(500_000); // span the route lookup
        }
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(f.get(5, TimeUnit.SECONDS).queue()).isEqualTo(futures.get(0).join().queue());
        }
        List<RemotingCommand> sends = new ArrayList<>(a.sends());
        sends.addAll(b.sends());
        assertThat(sends).hasSize(300);
        FakeBroker target = a.sends().isEmpty() ? b : a;
        assertThat(target.sends()).extracting(s -> s.field("e")).containsOnly(target.sends().get(0).field("e"));
        assertThat(target.sends()).extracting(ProducerBehaviourTest::bodyOf).containsExactlyElementsOf(bodies);
    }

    @Test
    void aOnewayOrderlySendWaitsItsTurnBehindParkedOrderlySendsOfTheSameKey() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), c -> c);
        assertThat(producer.send(message("OnewayOrder", "warm")).isOk()).isTrue();
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;

        CompletableFuture<SendResult> a = producer.sendAsync(message("OnewayOrder", "A"), QueueSelectors.hash(), "key");
        waitUntil(() -> broker.sends().size() == 2);
        CompletableFuture<SendResult> b = producer.sendAsync(message("OnewayOrder", "B"), QueueSelectors.hash(), "key");
        producer.sendOneway(message("OnewayOrder", "C"), QueueSelectors.hash(), "key"); // returns at once
        producer.sendOneway(message("OnewayOrder", "D"), QueueSelectors.hash(), "key");
        CompletableFuture<SendResult> e = producer.sendAsync(message("OnewayOrder", "E"), QueueSelectors.hash(), "key");
        assertThat(broker.sends()).as("everything after A waits for A's outcome").hasSize(2);
        hold.complete(null);

        assertThat(a.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(b.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(e.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(broker.sends()).extracting(ProducerBehaviourTest::bodyOf).containsExactly("warm", "A", "B", "C", "D", "E");
        assertThat(broker.sends().subList(1, 6)).extracting(s -> s.field("e")).containsOnly(broker.sends().get(1).field("e"));
        assertThat(broker.sends().get(3).isOneway()).isTrue();
        waitUntil(() -> producer.inFlightRequests() == 0);
    }

    @Test
    void orderlyLanesOfIdleQueuesAreRemovedWithoutLosingOrReorderingSendsThatRaceWithTheRemoval() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(2, broker), 0);
        // A long deadline: a send lost by a removal shows as a future that never completes.
        Producer producer = producer(client(ns.address()), c -> c.sendTimeout(Duration.ofSeconds(30)));
        DefaultProducer internals = (DefaultProducer) producer;
        internals.queueIdleTime(0); // every sweep that is due runs: lanes are retired while sends enter them
        int topics = 20;
        for (int t = 0; t < topics; t++) {
            assertThat(producer.send(message("Lane" + t, "warm"), QueueSelectors.hash(), "warm").isOk()).isTrue();
        }

        int threads = 6;
        int perThread = 400;
        List<CompletableFuture<SendResult>> futures = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        String topic = "Lane" + (i % topics);
                        futures.add(producer.sendAsync(message(topic, thread + ":" + i), QueueSelectors.hash(),
                                "key-" + thread));
                        if (i % 50 == 0) {
                            LockSupport.parkNanos(2_000_000); // let lanes go idle and be swept
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(f.get(10, TimeUnit.SECONDS).isOk()).as("no send lost by a lane's removal").isTrue();
        }
        // Per thread (one key) and topic, the wire order is the call order.
        Map<String, List<Integer>> wire = new java.util.HashMap<>();
        for (RemotingCommand send : broker.sends()) {
            String body = bodyOf(send);
            if (!body.equals("warm")) {
                String[] parts = body.split(":");
                wire.computeIfAbsent(parts[0] + "@" + send.field("b"), k -> new ArrayList<>())
                        .add(Integer.parseInt(parts[1]));
            }
        }
        assertThat(wire.values().stream().mapToInt(List::size).sum()).isEqualTo(threads * perThread);
        wire.forEach((key, order) -> assertThat(order).as(key).isSorted());

        // Idle lanes go away: each send to a new topic may sweep the lanes unused for a whole period.
        AtomicInteger fresh = new AtomicInteger();
        waitUntil(() -> {
            producer.send(message("Fresh" + fresh.incrementAndGet(), "x"), QueueSelectors.hash(), "k");
            return internals.queueStates() <= 2;
        });
        assertThat(producer.inFlightRequests()).isZero();
    }

    @Test
    void deadlineCoversTheRouteLookupAndATimedOutSendIsNeverWrittenLater() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 1_000);
        MQClientInstance client = client(ns.address());
        Producer producer = producer(client, b -> b.sendTimeout(Duration.ofMillis(300)));

        long start = System.nanoTime();
        MQException error = failure(producer.sendAsync(message("SlowRoute", "late")));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(error.reason()).isEqualTo(MQException.Reason.TIMEOUT);
        assertThat(error.getMessage()).contains("'SlowRoute'");
        assertThat(elapsedMs).isBetween(250L, 500L);
        assertThat(producer.inFlightRequests()).isZero();
        // Once the route arrives (and its waiters were resumed), the expired send stays unsent.
        waitUntil(() -> client.knownTopics().contains("SlowRoute"));
        assertThat(broker.sends()).isEmpty();
    }

    @Test
    void namespacePrefixesTopicAndGroupOnTheWireOnly() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> topic.equals("tenant1%Spaced") ? route(4, broker) : null, 0);
        MQClientInstance namespaced = MQClientInstance.builder().nameServer(ns.address()).namespace("tenant1").build();
        cluster.add(namespaced);
        namespaced.start();
        Producer producer = producer(namespaced, b -> b);

        SendResult result = producer.send(message("Spaced", "x"));

        assertThat(result.queue().topic()).isEqualTo("Spaced");
        assertThat(routeRequests(ns, "tenant1%Spaced")).isEqualTo(1);
        RemotingCommand wire = broker.sends().get(0);
        assertThat(wire.field("a")).isEqualTo("tenant1%" + GROUP);
        assertThat(wire.field("b")).isEqualTo("tenant1%Spaced");
        waitUntil(() -> !broker.received(RequestCode.HEART_BEAT).isEmpty());
        assertThat(new String(broker.received(RequestCode.HEART_BEAT).get(0).body(), StandardCharsets.UTF_8))
                .contains("\"groupName\":\"tenant1%" + GROUP + "\"");
    }

    @Test
    void largeBodiesTravelCompressedWithTheZlibFlag() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b.compressThreshold(100));
        String small = "s".repeat(99);
        String large = "compressible text ".repeat(100);

        producer.send(message("Zipped", small));
        producer.send(message("Zipped", large));

        RemotingCommand plain = broker.sends().get(0);
        RemotingCommand zipped = broker.sends().get(1);
        assertThat(bodyOf(plain)).isEqualTo(small);
        assertThat(Integer.parseInt(plain.field("f")) & SysFlag.COMPRESSED).isZero();
        assertThat(Integer.parseInt(zipped.field("f"))).isEqualTo(SysFlag.compressedZlib());
        assertThat(zipped.body().length).isLessThan(large.length() / 4);
        assertThat(new String(Compression.inflate(zipped.body()), StandardCharsets.UTF_8))
                .isEqualTo(large);
    }

    @Test
    void onewayIsWrittenOnceWithTheOnewayFlagAndHoldsNoCapacity() throws Exception {
        FakeBroker a = broker("broker-a", request -> null);
        FakeBroker b = broker("broker-b", request -> null);
        FakeServer ns = nameServer(topic -> route(2, a, b), 0);
        Producer producer = producer(client(ns.address()), c -> c);

        producer.sendOneway(message("Oneway", "x"));

        waitUntil(() -> a.sends().size() + b.sends().size() == 1);
        RemotingCommand wire = a.sends().isEmpty() ? b.sends().get(0) : a.sends().get(0);
        assertThat(wire.isOneway()).isTrue();
        waitUntil(() -> producer.inFlightRequests() == 0);
    }

    @Test
    void failBackpressureRefusesASendPastTheCapWithoutIo() throws Exception {
        FakeBroker broker = broker("broker-a", request -> null);
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b.maxInFlightRequests(2)
                .backpressure(BackpressurePolicy.FAIL).sendTimeout(Duration.ofSeconds(2))
                .shutdownTimeout(Duration.ofMillis(100)));
        CompletableFuture<SendResult> first = producer.sendAsync(message("Capped", "1"));
        CompletableFuture<SendResult> second = producer.sendAsync(message("Capped", "2"));
        waitUntil(() -> broker.sends().size() == 2);

        assertThat(failure(producer.sendAsync(message("Capped", "3"))).reason())
                .isEqualTo(MQException.Reason.BACKPRESSURE);
        assertThatThrownBy(() -> producer.send(message("Capped", "4")))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.BACKPRESSURE));
        assertThat(producer.inFlightRequests()).isEqualTo(2);
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(broker.sends()).hasSize(2);
    }

    @Test
    void blockBackpressureWaitsUpToTheDeadlineThenTimesOut() throws Exception {
        FakeBroker broker = broker("broker-a", request -> null);
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b.maxInFlightRequests(1)
                .sendTimeout(Duration.ofSeconds(3)).shutdownTimeout(Duration.ofMillis(100)));
        CompletableFuture<SendResult> first = producer.sendAsync(message("Blocked", "1"));
        waitUntil(() -> broker.sends().size() == 1);

        long start = System.nanoTime();
        MQException error = failure(producer.sendAsync(message("Blocked", "2"), Duration.ofMillis(300)));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(error.reason()).isEqualTo(MQException.Reason.TIMEOUT);
        assertThat(elapsedMs).isBetween(250L, 500L);
        assertThat(first).isNotDone();
        assertThat(broker.sends()).hasSize(1);
    }

    @Test
    void unknownTopicWithoutAutoCreateFailsWithNoRouteAndNothingReachesABroker() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> null, 0); // 17 for the topic and for TBW102
        Producer producer = producer(client(ns.address()), b -> b);

        CompletableFuture<SendResult> future = producer.sendAsync(message("Nowhere", "x"));
        MQException error = failure(future);
        assertThat(error.reason()).isEqualTo(MQException.Reason.NO_ROUTE);
        assertThat(error.getMessage()).contains("'Nowhere'").contains(ns.address());

        assertThatThrownBy(() -> producer.send(message("Nowhere", "y")))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.NO_ROUTE));

        assertThat(ns.received()).extracting(c -> c.field("topic")).contains("Nowhere", "TBW102");
        assertThat(broker.server.received()).isEmpty();
        assertThat(broker.server.channels()).isEmpty();
        assertThat(producer.inFlightRequests()).isZero();
    }

    @Test
    void unknownTopicIsSentViaTheAutoCreateTemplateWithQueueIdsClampedToFour() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> topic.equals("TBW102") ? route(8, broker) : null, 0);
        Producer producer = producer(client(ns.address()), b -> b);

        for (int i = 0; i < 12; i++) {
            SendResult result = producer.send(message("AutoCreated", "m-" + i));
            assertThat(result.queue().topic()).isEqualTo("AutoCreated");
            assertThat(result.queue().queueId()).isBetween(0, 3);
        }
        List<RemotingCommand> sends = broker.sends();
        assertThat(sends).hasSize(12);
        assertThat(sends).allSatisfy(s -> {
            assertThat(s.field("b")).isEqualTo("AutoCreated");
            assertThat(s.field("c")).isEqualTo("TBW102");
            assertThat(s.field("d")).isEqualTo("4");
        });
        assertThat(sends).extracting(s -> Integer.parseInt(s.field("e"))).containsOnly(0, 1, 2, 3);
        assertThat(routeRequests(ns, "AutoCreated")).isEqualTo(1);
        assertThat(routeRequests(ns, "TBW102")).isEqualTo(1);
    }

    @Test
    void nameServerFailoverFindsTheRouteOnTheNextNameServer() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer live = nameServer(topic -> route(4, broker), 0);
        String dead = "127.0.0.1:" + freePort();
        MQClientInstance client = client(dead + ";" + live.address());
        Producer producer = producer(client, b -> b);

        SendResult result = producer.send(message("Failover", "x"));
        assertThat(result.isOk()).isTrue();
        assertThat(routeRequests(live, "Failover")).isEqualTo(1);
        assertThat(client.lastNameServerResponse()).isPresent();
        assertThat(broker.sends()).hasSize(1);
    }

    // ------------------------------------------------------------------ results and retries

    @Test
    void sendResultCarriesWhatTheBrokerAnswered() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b);

        SendResult first = producer.send(message("Results", "a"));
        SendResult second = producer.send(message("Results", "b"));
        assertThat(first.status()).isEqualTo(SendStatus.SEND_OK);
        assertThat(first.queue().brokerName()).isEqualTo("broker-a");
        assertThat(first.offsetMessageId()).isEqualTo("broker-a-OFFSET-0");
        assertThat(first.queueOffset()).isZero();
        assertThat(second.queueOffset()).isEqualTo(1);
        RemotingCommand wire = broker.sends().get(0);
        assertThat(first.queue().queueId()).isEqualTo(Integer.parseInt(wire.field("e")));
        assertThat(wire.field("a")).isEqualTo(GROUP);
        assertThat(wire.field("i")).contains(first.messageId());
        assertThat(first.messageId()).isNotEqualTo(second.messageId());
    }

    @Test
    void storedButNotFlushedIsAResultNotARetry() throws Exception {
        FakeBroker a = broker("broker-a", request -> 10); // FLUSH_DISK_TIMEOUT
        FakeBroker b = broker("broker-b", request -> 10);
        FakeServer ns = nameServer(topic -> route(2, a, b), 0);
        Producer producer = producer(client(ns.address()), c -> c);

        assertThat(producer.send(message("Flush", "x")).status()).isEqualTo(SendStatus.FLUSH_DISK_TIMEOUT);
        assertThat(a.sends().size() + b.sends().size()).isEqualTo(1);
    }

    @Test
    void batchGoesAsOneSendBatchMessage() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b);

        SendResult result = producer.send(List.of(message("Batch", "1"), message("Batch", "2"), message("Batch", "3")));
        assertThat(result.isOk()).isTrue();
        assertThat(result.messageIds()).hasSize(3).doesNotHaveDuplicates();
        assertThat(broker.server.received()).filteredOn(c -> c.code() == RequestCode.SEND_BATCH_MESSAGE).hasSize(1);
        assertThat(broker.server.received()).filteredOn(c -> c.code() == RequestCode.SEND_MESSAGE_V2).isEmpty();
    }

    @Test
    void retryableRejectionIsRetriedOnTheOtherBroker() throws Exception {
        AtomicBoolean rejectedOnce = new AtomicBoolean();
        Function<RemotingCommand, Integer> firstSendGets14 = request -> rejectedOnce.compareAndSet(false, true) ? 14 : 0;
        FakeBroker a = broker("broker-a", firstSendGets14);
        FakeBroker b = broker("broker-b", firstSendGets14);
        FakeServer ns = nameServer(topic -> route(2, a, b), 0);
        Producer producer = producer(client(ns.address()), c -> c);

        SendResult result = producer.send(message("Retry", "x"));

        assertThat(result.status()).isEqualTo(SendStatus.SEND_OK);
        assertThat(a.sends()).hasSize(1);
        assertThat(b.sends()).hasSize(1);
        FakeBroker rejecting = Integer.valueOf(14).equals(a.firstSendCode) ? a : b;
        FakeBroker accepting = rejecting == a ? b : a;
        assertThat(rejecting.firstSendCode).isEqualTo(14);
        assertThat(accepting.firstSendCode).isEqualTo(0);
        assertThat(result.queue().brokerName()).isEqualTo(accepting.name);
        // The retry resends the same message: same UNIQ_KEY in the same properties.
        assertThat(accepting.sends().get(0).field("i")).isEqualTo(rejecting.sends().get(0).field("i"));
        assertThat(producer.stats().retries()).isEqualTo(1);
    }

    @Test
    void nonRetryableRejectionFailsAtOnceWithTheCodeAndRemark() throws Exception {
        FakeBroker a = broker("broker-a", request -> 13);
        FakeBroker b = broker("broker-b", request -> 13);
        FakeServer ns = nameServer(topic -> route(2, a, b), 0);
        Producer producer = producer(client(ns.address()), c -> c);

        MQException error = failure(producer.sendAsync(message("Rejected", "x")));

        assertThat(error.reason()).isEqualTo(MQException.Reason.BROKER_REJECTED);
        assertThat(error.responseCode()).isEqualTo(13);
        assertThat(error.remark()).isEqualTo("remark of 13");
        assertThat(error.getMessage()).contains("MESSAGE_ILLEGAL").contains("remark of 13").contains("'Rejected'");
        assertThat(a.sends().size() + b.sends().size()).isEqualTo(1);
        assertThat(producer.stats().retries()).isZero();
    }

    @Test
    void silentBrokerGivesTimeoutAtTheDeadlineAndNoRetry() throws Exception {
        AtomicBoolean answer = new AtomicBoolean(true);
        FakeBroker broker = broker("broker-a", request -> answer.get() ? 0 : null);
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b.sendTimeout(Duration.ofMillis(500)));
        assertThat(producer.send(message("Silent", "warm-up")).isOk()).isTrue(); // route and connection ready
        answer.set(false);

        long start = System.nanoTime();
        assertThatThrownBy(() -> producer.send(message("Silent", "lost")))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.TIMEOUT));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(elapsedMs).isBetween(450L, 700L);
        // The outcome is final: a retry would have been decided before the future failed.
        assertThat(broker.sends()).extracting(ProducerBehaviourTest::bodyOf).containsExactly("warm-up", "lost");
        assertThat(producer.inFlightRequests()).isZero();
    }

    @Test
    void aMessageTheBrokerRejectsAsIllegalDoesNotKeepSendsAwayFromThatBroker() throws Exception {
        Function<RemotingCommand, Integer> rejectsIllegal = r -> bodyOf(r).equals("illegal") ? 13 : 0;
        FakeBroker a = broker("broker-a", rejectsIllegal);
        FakeBroker b = broker("broker-b", rejectsIllegal);
        FakeServer ns = nameServer(topic -> route(1, a, b), 0);
        Producer producer = producer(client(ns.address()), c -> c);
        assertThat(producer.send(message("Judged", "warm")).isOk()).isTrue();

        MQException rejected = failure(producer.sendAsync(message("Judged", "illegal")));
        assertThat(rejected.responseCode()).isEqualTo(13);
        FakeBroker judged = a.sends().stream().anyMatch(r -> bodyOf(r).equals("illegal")) ? a : b;
        int before = judged.sends().size();
        for (int i = 0; i < 4; i++) {
            assertThat(producer.send(message("Judged", "next-" + i)).isOk()).isTrue();
        }
        assertThat(judged.sends().size() - before).as("round robin still includes the broker that judged the message")
                .isEqualTo(2);
    }

    @Test
    void aDeadlineThatPassedBeforeTheRequestWasWrittenDoesNotKeepSendsAwayFromTheBroker() throws Exception {
        Function<RemotingCommand, Integer> busyForRetryMe = r -> bodyOf(r).equals("retry-me") ? 14 : 0;
        FakeBroker a = broker("broker-a", busyForRetryMe);
        FakeBroker b = broker("broker-b", busyForRetryMe);
        FakeServer ns = nameServer(topic -> route(1, a, b), 0);
        Duration timeout = Duration.ofMillis(300);
        SendHook slowAfterFirstAttempt = new SendHook() {
            @Override
            public void afterSend(SendContext context) {
                if (!context.isFinalAttempt() && context.attempt() == 1) {
                    LockSupport.parkNanos(timeout.plusMillis(100).toNanos()); // the retry starts past the deadline
                }
            }
        };
        Producer producer = producer(client(ns.address()), c -> c.hook(slowAfterFirstAttempt));
        assertThat(producer.send(message("Late", "warm")).isOk()).isTrue();

        MQException late = failure(producer.sendAsync(message("Late", "retry-me"), timeout));
        assertThat(late.reason()).isEqualTo(MQException.Reason.TIMEOUT);
        FakeBroker busy = a.sends().stream().anyMatch(r -> bodyOf(r).equals("retry-me")) ? a : b;
        FakeBroker untried = busy == a ? b : a;
        assertThat(untried.sends()).extracting(ProducerBehaviourTest::bodyOf).doesNotContain("retry-me");
        int before = untried.sends().size();
        for (int i = 0; i < 4; i++) {
            assertThat(producer.send(message("Late", "next-" + i)).isOk()).isTrue();
        }
        // The busy broker sits out its penalty; the one the retry never reached takes every send.
        assertThat(untried.sends().size() - before).isEqualTo(4);
    }

    @Test
    void orderlySendIsNeverRetried() throws Exception {
        FakeBroker a = broker("broker-a", request -> 14);
        FakeBroker b = broker("broker-b", request -> 14);
        FakeServer ns = nameServer(topic -> route(2, a, b), 0);
        Producer producer = producer(client(ns.address()), c -> c);

        MQException async = failure(producer.sendAsync(message("Orderly", "x"), QueueSelectors.hash(), "key-1"));
        assertThat(async.reason()).isEqualTo(MQException.Reason.BROKER_REJECTED);
        assertThat(async.responseCode()).isEqualTo(14);
        assertThat(a.sends().size() + b.sends().size()).isEqualTo(1);

        assertThatThrownBy(() -> producer.send(message("Orderly", "y"), QueueSelectors.hash(), "key-1"))
                .isInstanceOfSatisfying(MQException.class, e -> assertThat(e.responseCode()).isEqualTo(14));
        assertThat(a.sends().size() + b.sends().size()).isEqualTo(2);
        assertThat(producer.stats().retries()).isZero();
    }

    // ------------------------------------------------------------------ hooks and threads

    @Test
    void hooksFireOncePerAttemptWithNumberedAttemptsAndOneFinal() throws Exception {
        FakeBroker a = broker("broker-a", request -> 14);
        FakeBroker b = broker("broker-b", request -> 14);
        FakeServer ns = nameServer(topic -> route(2, a, b), 0);
        RecordingHook hook = new RecordingHook();
        Producer producer = producer(client(ns.address()), c -> c.hook(hook));

        assertThatThrownBy(() -> producer.send(message("Hooked", "x")))
                .isInstanceOfSatisfying(MQException.class, e -> assertThat(e.responseCode()).isEqualTo(14));

        assertThat(hook.events).containsExactly("before 1", "after 1", "before 2", "after 2", "before 3", "after 3");
        assertThat(hook.before).extracting(SendContext::attempt).containsExactly(1, 2, 3);
        assertThat(hook.after).extracting(SendContext::attempt).containsExactly(1, 2, 3);
        assertThat(hook.after).extracting(SendContext::isFinalAttempt).containsExactly(false, false, true);
        assertThat(hook.before).extracting(SendContext::isFinalAttempt).containsOnly(false);
        assertThat(hook.before).allSatisfy(c -> {
            assertThat(c.result()).isNull();
            assertThat(c.error()).isNull();
            assertThat(c.queue()).isNotNull();
            assertThat(c.topic()).isEqualTo("Hooked");
            assertThat(c.producerGroup()).isEqualTo(GROUP);
        });
        assertThat(hook.after).allSatisfy(c -> {
            assertThat(c.result()).isNull();
            assertThat(c.error()).isInstanceOf(MQException.class);
        });
        assertThat(hook.after.get(1).brokerName()).isNotEqualTo(hook.after.get(0).brokerName());
        assertThat(a.sends().size() + b.sends().size()).isEqualTo(3);
        assertThat(hook.threads).noneMatch(t -> t.startsWith(IO_THREAD_PREFIX));
    }

    @Test
    void successfulAsyncSendFiresOneBeforeAndOneFinalAfterWithTheResult() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        RecordingHook hook = new RecordingHook();
        Producer producer = producer(client(ns.address()), c -> c.hook(hook));

        SendResult result = producer.sendAsync(message("HookedOk", "x")).get(5, TimeUnit.SECONDS);

        assertThat(hook.events).containsExactly("before 1", "after 1");
        SendContext after = hook.after.get(0);
        assertThat(after.isFinalAttempt()).isTrue();
        assertThat(after.result()).isEqualTo(result);
        assertThat(after.error()).isNull();
        assertThat(after.mode()).isEqualTo(SendMode.ASYNC);
        assertThat(after.messageCount()).isEqualTo(1);
        assertThat(after.messageBytes()).isEqualTo(1);
        assertThat(after.brokerAddress()).isEqualTo(broker.server.address());
        assertThat(hook.threads).noneMatch(t -> t.startsWith(IO_THREAD_PREFIX));
    }

    @Test
    void noRouteFailureFiresExactlyOneBeforeAndOneAfterWithoutAQueue() throws Exception {
        FakeServer ns = nameServer(topic -> null, 0);
        RecordingHook hook = new RecordingHook();
        Producer producer = producer(client(ns.address()), c -> c.hook(hook));

        assertThat(failure(producer.sendAsync(message("NoRouteHooked", "x"))).reason())
                .isEqualTo(MQException.Reason.NO_ROUTE);

        assertThat(hook.events).containsExactly("before 1", "after 1");
        assertThat(hook.before.get(0).queue()).isNull();
        assertThat(hook.after.get(0).queue()).isNull();
        assertThat(hook.after.get(0).isFinalAttempt()).isTrue();
        assertThat(hook.after.get(0).error()).isInstanceOfSatisfying(MQException.class,
                e -> assertThat(e.reason()).isEqualTo(MQException.Reason.NO_ROUTE));
        assertThat(hook.threads).noneMatch(t -> t.startsWith(IO_THREAD_PREFIX));
    }

    @Test
    void manyParkedOrderlySendsRacingWithResumesFireBeforeOncePerSendAndAreNotHeldByTimers() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(2, broker), 0);
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        SendHook counting = new SendHook() {
            @Override
            public void beforeSend(SendContext context) {
                before.incrementAndGet();
            }

            @Override
            public void afterSend(SendContext context) {
                after.incrementAndGet();
            }
        };
        Producer producer = producer(client(ns.address()), b -> b.hook(counting).sendTimeout(Duration.ofSeconds(60)));
        assertThat(producer.send(message("Racing", "warm")).isOk()).isTrue();

        int threads = 4;
        int perThread = 500;
        List<WeakReference<byte[]>> bodies = new CopyOnWriteArrayList<>();
        List<CompletableFuture<SendResult>> futures = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String key = "key-" + (t % 2); // two threads per key: parking and resuming race
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        futures.add(sendOrderlyTracked(producer, key, bodies));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(f.get(30, TimeUnit.SECONDS).isOk()).isTrue();
        }
        int sends = 1 + threads * perThread;
        waitUntil(() -> after.get() == sends);
        assertThat(before.get()).as("beforeSend once per send (one attempt each)").isEqualTo(sends);
        waitUntil(() -> {
            System.gc();
            return bodies.stream().allMatch(ref -> ref.get() == null);
        }); // within 5 s: no timer keeps a completed send until its 60 s deadline
        assertThat(producer.inFlightRequests()).isZero();
    }

    private static CompletableFuture<SendResult> sendOrderlyTracked(Producer producer, String key,
                                                                    List<WeakReference<byte[]>> bodies) {
        byte[] body = new byte[256];
        bodies.add(new WeakReference<>(body));
        return producer.sendAsync(Message.builder("Racing").body(body).build(), QueueSelectors.hash(), key);
    }

    @Test
    void theSendTimerTagsTheReasonOfEachOutcome() throws Exception {
        FakeBroker broker = broker("broker-a", r -> bodyOf(r).equals("illegal") ? 13 : 0);
        FakeServer ns = nameServer(topic -> topic.equals("Nowhere") || topic.equals("TBW102") ? null
                : route(4, broker), 0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Producer producer = producer(client(ns.address()), c -> c.hook(new MicrometerSendHook(registry)));

        assertThat(producer.send(message("Tagged", "fine")).isOk()).isTrue();
        assertThat(failure(producer.sendAsync(message("Tagged", "illegal"))).reason())
                .isEqualTo(MQException.Reason.BROKER_REJECTED);
        assertThat(failure(producer.sendAsync(message("Nowhere", "x"))).reason()).isEqualTo(MQException.Reason.NO_ROUTE);

        waitUntil(() -> registry.find(MicrometerSendHook.SEND).timers().stream().mapToLong(Timer::count).sum() == 3);
        assertThat(registry.get(MicrometerSendHook.SEND).tag("topic", "Tagged").tag("result", "success")
                .tag("reason", "none").tag("exception", "none").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerSendHook.SEND).tag("topic", "Tagged").tag("result", "failure")
                .tag("reason", "BROKER_REJECTED").tag("exception", "MQException").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerSendHook.SEND).tag("topic", "Nowhere").tag("reason", "NO_ROUTE").timer()
                .count()).isEqualTo(1);
    }

    @Test
    void asyncCompletionsNeverRunOnIoThreads() throws Exception {
        AtomicLong count = new AtomicLong();
        FakeBroker broker = broker("broker-a", request -> count.incrementAndGet() % 5 == 0 ? 13 : 0);
        FakeServer ns = nameServer(topic -> route(4, broker), 100);
        Producer producer = producer(client(ns.address()), b -> b.retries(0));

        List<CompletableFuture<String>> threads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            threads.add(producer.sendAsync(message("Completions", "m-" + i))
                    .handle((result, error) -> Thread.currentThread().getName()));
        }
        Set<String> names = new HashSet<>();
        for (CompletableFuture<String> f : threads) {
            names.add(f.get(5, TimeUnit.SECONDS));
        }
        assertThat(names).noneMatch(t -> t.startsWith(IO_THREAD_PREFIX));
        // The check means something: completions did run off the caller's thread.
        assertThat(names).anyMatch(t -> !t.equals(Thread.currentThread().getName()));
    }

    // ------------------------------------------------------------------ errors in user code

    @Test
    void aQueueSelectorThrowingAnErrorFailsThatSendAndTheProducerKeepsWorking() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b);
        QueueSelector buggy = (queues, message, arg) -> {
            if ("assert".equals(arg)) {
                throw new AssertionError("selector bug");
            }
            if ("oom".equals(arg)) {
                throw new OutOfMemoryError("selector out of memory");
            }
            return QueueSelectors.hash().select(queues, message, arg);
        };

        // Before the route is known the selector runs where the route lookup resumes the send.
        MQException first = failure(producer.sendAsync(message("Erring", "x"), buggy, "assert"));
        assertThat(first.reason()).isEqualTo(MQException.Reason.VALIDATION);
        assertThat(first.getMessage()).contains("selector bug");
        // With the route cached it runs on the caller's thread.
        assertThat(failure(producer.sendAsync(message("Erring", "y"), buggy, "oom")).reason())
                .isEqualTo(MQException.Reason.VALIDATION);
        assertThatThrownBy(() -> producer.send(message("Erring", "z"), buggy, "assert"))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        producer.sendOneway(message("Erring", "w"), buggy, "oom");

        waitUntil(() -> producer.inFlightRequests() == 0);
        assertThat(producer.send(message("Erring", "ordered"), buggy, "key").isOk()).isTrue();
        assertThat(producer.sendAsync(message("Erring", "ordered-async"), buggy, "key").get(5, TimeUnit.SECONDS)
                .isOk()).isTrue();
        assertThat(producer.send(message("Erring", "plain")).isOk()).isTrue();
        assertThat(broker.sends()).extracting(ProducerBehaviourTest::bodyOf)
                .containsExactly("ordered", "ordered-async", "plain");
        assertThat(producer.inFlightRequests()).isZero();
    }

    @Test
    void aHookThrowingAnErrorNeitherFailsTheSendNorWedgesItsOrderlyQueue() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        SendHook throwing = new SendHook() {
            @Override
            public void beforeSend(SendContext context) {
                throw new AssertionError("hook bug before");
            }

            @Override
            public void afterSend(SendContext context) {
                throw new AssertionError("hook bug after");
            }
        };
        Producer producer = producer(client(ns.address()), b -> b.hook(throwing));
        assertThat(producer.send(message("HookErr", "warm")).isOk()).isTrue();
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;

        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        futures.add(producer.sendAsync(message("HookErr", "A"), QueueSelectors.hash(), "k"));
        waitUntil(() -> broker.sends().size() == 2);
        futures.add(producer.sendAsync(message("HookErr", "B"), QueueSelectors.hash(), "k"));
        futures.add(producer.sendAsync(message("HookErr", "C"), QueueSelectors.hash(), "k"));
        hold.complete(null);
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(f.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        }
        assertThat(producer.send(message("HookErr", "D"), QueueSelectors.hash(), "k").isOk()).isTrue();
        assertThat(broker.sends()).extracting(ProducerBehaviourTest::bodyOf).containsExactly("warm", "A", "B", "C", "D");
        waitUntil(() -> producer.inFlightRequests() == 0);
    }

    // ------------------------------------------------------------------ lifecycle

    @Test
    void sendAfterProducerCloseFailsWithShutdown() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        MQClientInstance client = client(ns.address());
        Producer producer = producer(client, b -> b);
        assertThat(producer.send(message("Closing", "before")).isOk()).isTrue();

        producer.close();

        assertThat(producer.isRunning()).isFalse();
        assertShutdown(producer);
        assertThat(client.producers()).doesNotContain(producer);
        assertThat(broker.sends()).hasSize(1);
    }

    @Test
    void sendAfterClientCloseFailsWithShutdown() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        MQClientInstance client = client(ns.address());
        Producer producer = producer(client, b -> b);
        assertThat(producer.send(message("Closing", "before")).isOk()).isTrue();

        client.close();

        assertThat(producer.isRunning()).isFalse();
        assertShutdown(producer);
        assertThatThrownBy(() -> client.newProducer(ProducerConfig.builder().group("other").build()))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.SHUTDOWN));
        assertThat(broker.sends()).hasSize(1);
    }

    @Test
    void clientCloseCompletesEverySendInFlightToASilentBroker() throws Exception {
        FakeBroker broker = broker("broker-a", request -> null); // answers heartbeats, never sends
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        MQClientInstance client = client(ns.address());
        Producer producer = producer(client, b -> b.sendTimeout(Duration.ofSeconds(30))
                .shutdownTimeout(Duration.ofMillis(200)));
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(producer.sendAsync(message("InFlight", "m-" + i)));
        }
        waitUntil(() -> broker.sends().size() == 20);
        assertThat(futures).noneMatch(CompletableFuture::isDone);

        long start = System.nanoTime();
        client.close();
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(failure(f).reason()).isIn(MQException.Reason.CONNECTION, MQException.Reason.SHUTDOWN);
        }
        // Far below the 30 s send timeout: close failed the sends, their deadline did not.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4_000);
        assertThat(producer.inFlightRequests()).isZero();
    }

    @Test
    void invalidSendsFailWithValidationBeforeAnyIo() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b);

        MQException nullBody = failure(producer.sendAsync(Message.builder("Valid").build()));
        assertThat(nullBody.reason()).isEqualTo(MQException.Reason.VALIDATION);
        assertThat(nullBody.getMessage()).contains("body is null");

        assertThatThrownBy(() -> producer.send(message("bad topic", "x")))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION))
                .hasMessageContaining("'bad topic'");
        assertThatThrownBy(() -> producer.send((Message) null))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        assertThatThrownBy(() -> producer.send(message("Valid", "x"), Duration.ZERO))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        assertThatThrownBy(() -> producer.send(List.of(message("Valid", "x"), message("Other", "y"))))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION))
                .hasMessageContaining("one topic");
        assertThatThrownBy(() -> producer.sendOneway(message("Valid", "x"), null, "key"))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));

        assertThat(ns.received()).isEmpty();
        assertThat(broker.server.received()).isEmpty();
        assertThat(producer.inFlightRequests()).isZero();
        // The servers are wired: a valid send does reach them.
        assertThat(producer.send(message("Valid", "x")).isOk()).isTrue();
        assertThat(ns.received()).isNotEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void heartbeatNamesTheGroupAndCloseUnregisters() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        MQClientInstance client = client(ns.address());
        Producer producer = producer(client, b -> b);

        assertThat(producer.send(message("Beat", "x")).isOk()).isTrue();
        waitUntil(() -> !broker.received(RequestCode.HEART_BEAT).isEmpty());

        RemotingCommand heartbeat = broker.received(RequestCode.HEART_BEAT).get(0);
        Map<?, ?> body = JsonMapper.builder().build().readValue(heartbeat.body(), Map.class);
        assertThat(body.get("clientID")).isEqualTo(client.clientId());
        assertThat((List<Object>) body.get("producerDataSet")).containsExactly(Map.of("groupName", GROUP));
        assertThat(broker.received(RequestCode.UNREGISTER_CLIENT)).isEmpty();

        client.close();

        List<RemotingCommand> unregister = broker.received(RequestCode.UNREGISTER_CLIENT);
        assertThat(unregister).hasSize(1);
        assertThat(unregister.get(0).field("clientID")).isEqualTo(client.clientId());
        assertThat(unregister.get(0).field("producerGroup")).isEqualTo(GROUP);
    }

    // ------------------------------------------------------------------ fixtures

    @Test
    void clientCloseCompletesASendStillWaitingForItsRoute() throws Exception {
        FakeServer ns = new FakeServer((ctx, request) -> { }); // never answers
        cluster.add(ns);
        MQClientInstance client = client(ns.address());
        Producer producer = producer(client, b -> b.sendTimeout(Duration.ofSeconds(30))
                .shutdownTimeout(Duration.ofMillis(200)));
        CompletableFuture<SendResult> waiting = producer.sendAsync(message("NeverRouted", "x"));
        waitUntil(() -> routeRequests(ns, "NeverRouted") == 1);
        client.close();
        assertThat(failure(waiting).reason()).isIn(MQException.Reason.CONNECTION, MQException.Reason.SHUTDOWN);
        assertThat(producer.inFlightRequests()).isZero();
    }

    @Test
    void clientCloseCompletesARouteWaitingSendEvenWhenTheCallbackExecutorIsBusy() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(t -> null, 0);
        ns.behaviour((ctx, r) -> {
            if ("Busy".equals(r.field("topic"))) {
                ctx.writeAndFlush(frame(r.opaque(), 0, null, Map.of(), route(4, broker)));
            }
        });
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors()); // the client's default pool size
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger blocked = new AtomicInteger();
        SendHook slow = new SendHook() {
            @Override
            public void afterSend(SendContext c) {
                if (c.topic().equals("Busy")) {
                    blocked.incrementAndGet();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        MQClientInstance client = client(ns.address());
        Producer p = producer(client, b -> b.hook(slow).shutdownTimeout(Duration.ofMillis(100))
                .sendTimeout(Duration.ofSeconds(30)));
        for (int i = 0; i < threads; i++) {
            p.sendAsync(message("Busy", "m-" + i));
        }
        waitUntil(() -> blocked.get() == threads);
        CompletableFuture<SendResult> waiting = p.sendAsync(message("NeverRouted", "x"));
        waitUntil(() -> routeRequests(ns, "NeverRouted") == 1);
        Thread closer = new Thread(client::close);
        closer.start();
        waitUntil(() -> Arrays.stream(closer.getStackTrace()).anyMatch(f -> f.getMethodName().equals("awaitTermination")));
        release.countDown();
        closer.join(10_000);
        assertThat(failure(waiting).reason()).isIn(MQException.Reason.CONNECTION, MQException.Reason.SHUTDOWN);
    }

    @Test
    void routeTimeoutMessageQuotesTheCallsOwnDeadline() throws Exception {
        FakeServer ns = new FakeServer((ctx, request) -> { }); // never answers
        cluster.add(ns);
        Producer producer = producer(client(ns.address()), b -> b);
        MQException e = failure(producer.sendAsync(message("Slow", "x"), Duration.ofMillis(300)));
        assertThat(e.reason()).isEqualTo(MQException.Reason.TIMEOUT);
        assertThat(e.getMessage()).contains("300 ms");
    }

    private static void assertShutdown(Producer producer) throws Exception {
        assertThatThrownBy(() -> producer.send(message("Closing", "after")))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.SHUTDOWN));
        assertThat(failure(producer.sendAsync(message("Closing", "after"))).reason())
                .isEqualTo(MQException.Reason.SHUTDOWN);
        assertThatThrownBy(() -> producer.sendOneway(message("Closing", "after")))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.SHUTDOWN));
    }

    private MQClientInstance client(String nameServers) {
        return cluster.client(nameServers);
    }

    private static Producer producer(MQClientInstance client, UnaryOperator<ProducerConfig.Builder> config) {
        return FakeCluster.producer(client, GROUP, config);
    }

    private static Message message(String topic, String body) {
        return Message.builder(topic).body(body).build();
    }

    private static String bodyOf(RemotingCommand send) {
        return new String(send.body(), StandardCharsets.UTF_8);
    }

    private static long routeRequests(FakeServer ns, String topic) {
        return ns.received().stream().filter(c -> c.code() == GET_ROUTE && topic.equals(c.field("topic"))).count();
    }


    private FakeServer nameServer(Function<String, byte[]> routes, long delayMs) {
        return cluster.nameServer(routes, delayMs);
    }

    private FakeServer nameServer(Function<String, byte[]> routes, long delayMs, CompletableFuture<Void> gate) {
        return cluster.nameServer(routes, delayMs, gate);
    }

    private FakeBroker broker(String name) {
        return cluster.broker(name);
    }

    private FakeBroker broker(String name, Function<RemotingCommand, Integer> sendCode) {
        return cluster.broker(name, sendCode);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Records every hook call, its thread, and a compact event log. */
    private static final class RecordingHook implements SendHook {

        final List<String> events = new CopyOnWriteArrayList<>();
        final List<SendContext> before = new CopyOnWriteArrayList<>();
        final List<SendContext> after = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void beforeSend(SendContext context) {
            threads.add(Thread.currentThread().getName());
            before.add(context);
            events.add("before " + context.attempt());
        }

        @Override
        public void afterSend(SendContext context) {
            threads.add(Thread.currentThread().getName());
            after.add(context);
            events.add("after " + context.attempt());
        }
    }
}
