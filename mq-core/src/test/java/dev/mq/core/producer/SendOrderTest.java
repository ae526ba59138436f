package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.failure;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.internal.send.DefaultProducer;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.RemotingCommand;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Call order reaches the wire, and orderly sends keep it per queue: lanes, oneway orderly sends, no retries,
 * idle lanes removed.
 */
class SendOrderTest extends FakeClusterTestBase {

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

        assertThat(broker.sends()).extracting(FakeClusterTestBase::bodyOf).containsExactlyElementsOf(bodies);
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
        assertThat(target.sends()).extracting(FakeClusterTestBase::bodyOf).containsExactlyElementsOf(bodies);
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
        assertThat(broker.sends()).extracting(FakeClusterTestBase::bodyOf).containsExactly("warm", "A", "B", "C", "D", "E");
        assertThat(broker.sends().subList(1, 6)).extracting(s -> s.field("e")).containsOnly(broker.sends().get(1).field("e"));
        assertThat(broker.sends().get(3).isOneway()).as("oneway sends expect an answer too").isFalse();
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
}
