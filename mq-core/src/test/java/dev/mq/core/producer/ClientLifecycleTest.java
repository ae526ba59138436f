package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.transport.FakeServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's lifecycle seen by senders: start-up, close, and where completions run meanwhile. */
class ClientLifecycleTest {

    private static final String GROUP = "pg-lifecycle";

    private final FakeCluster cluster = new FakeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    /**
     * Sends racing {@code start()} either fail at once as "not started" or go through: never an
     * internal error dressed as SHUTDOWN, never a future left open, never a permit kept.
     */
    @Test
    void sendsRacingStartEitherFailAsNotStartedOrSucceedAndHoldNothing() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        FakeServer ns = cluster.nameServer(topic -> route(4, broker), 0);
        int rounds = 60;
        int senders = 3;
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        for (int round = 0; round < rounds; round++) {
            MQClientInstance client = MQClientInstance.builder().nameServer(ns.address()).build();
            Producer producer = FakeCluster.producer(client, GROUP, b -> b.sendTimeout(Duration.ofSeconds(5)));
            AtomicBoolean started = new AtomicBoolean();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<SendResult>> futures = new CopyOnWriteArrayList<>();
            List<Throwable> thrown = new CopyOnWriteArrayList<>();
            List<Thread> threads = new java.util.ArrayList<>();
            for (int s = 0; s < senders; s++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    // Keep sending until a few sends went out after start() returned.
                    int afterStart = 0;
                    while (afterStart < 3) {
                        boolean wasStarted = started.get();
                        try {
                            futures.add(producer.sendAsync(Message.builder("Racing").body("x").build()));
                            producer.sendOneway(Message.builder("Racing").body("oneway").build());
                        } catch (Throwable e) {
                            thrown.add(e);
                        }
                        if (wasStarted) {
                            afterStart++;
                        }
                    }
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            client.start();
            started.set(true);
            for (Thread t : threads) {
                t.join(10_000);
                assertThat(t.isAlive()).isFalse();
            }
            for (Throwable e : thrown) {
                outcomes.computeIfAbsent("thrown " + e, k -> new AtomicInteger()).incrementAndGet();
                assertNotStarted(e);
            }
            for (CompletableFuture<SendResult> f : futures) {
                try {
                    assertThat(f.get(10, TimeUnit.SECONDS).isOk()).isTrue();
                    outcomes.computeIfAbsent("ok", k -> new AtomicInteger()).incrementAndGet();
                } catch (ExecutionException e) {
                    outcomes.computeIfAbsent("failed " + e.getCause(), k -> new AtomicInteger()).incrementAndGet();
                    assertNotStarted(e.getCause());
                }
            }
            SendAssertions.waitUntil(() -> producer.inFlightRequests() == 0);
            client.close();
        }
        print("start-race", "%d rounds x %d senders racing start(): outcomes %s", rounds, senders, outcomes);
        // Both sides of the race were seen: the test means something.
        assertThat(outcomes).containsKey("ok");
        assertThat(outcomes.keySet()).anyMatch(k -> !k.equals("ok"));
    }

    /**
     * Closing from a completion callback neither waits for its own thread nor drops the completions
     * queued behind it: here every other callback thread is held by a slow hook while close() runs,
     * so the failures of the sends close() cuts off can only run after close() returned.
     */
    @Test
    void closeFromACallbackThreadReturnsPromptlyAndDropsNoQueuedCompletion() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        FakeBroker silent = cluster.broker("broker-silent", request -> null);
        FakeServer ns = cluster.nameServer(topic -> topic.equals("Silent") ? route(4, silent) : route(4, broker), 0);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors()); // the client's default pool size
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger blocked = new AtomicInteger();
        AtomicReference<MQClientInstance> closing = new AtomicReference<>();
        CompletableFuture<Long> closeMillis = new CompletableFuture<>();
        SendHook slow = new SendHook() {
            @Override
            public void afterSend(SendContext c) {
                if (c.topic().equals("Trigger")) { // a hook always runs on a callback thread
                    long start = System.nanoTime();
                    closing.get().close();
                    closeMillis.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
                if (c.topic().equals("Busy")) {
                    blocked.incrementAndGet();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        MQClientInstance client = cluster.client(ns.address());
        Producer producer = FakeCluster.producer(client, GROUP, b -> b.hook(slow)
                .shutdownTimeout(Duration.ofMillis(200)).sendTimeout(Duration.ofSeconds(30)));
        closing.set(client);
        List<CompletableFuture<SendResult>> cutOff = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            cutOff.add(producer.sendAsync(Message.builder("Silent").body("s-" + i).build()));
        }
        SendAssertions.waitUntil(() -> silent.sends().size() == 20);
        for (int i = 0; i < threads - 1; i++) {
            producer.sendAsync(Message.builder("Busy").body("b-" + i).build());
        }
        SendAssertions.waitUntil(() -> blocked.get() == threads - 1);

        producer.sendAsync(Message.builder("Trigger").body("t").build());
        long took = closeMillis.get(30, TimeUnit.SECONDS);
        release.countDown();

        assertThat(took).isLessThan(5_000); // it used to wait 10 s for itself
        for (CompletableFuture<SendResult> f : cutOff) {
            MQException e = SendAssertions.failure(f);
            assertThat(e.reason()).isIn(MQException.Reason.SHUTDOWN, MQException.Reason.CONNECTION);
        }
        print("close-from-callback", "close() from a hook with %d other callback threads held took %d ms; "
                + "%d/%d cut-off sends completed", threads - 1, took, cutOff.size(), cutOff.size());
    }

    /**
     * An application executor that rejects because it is full must not push completions or hooks
     * onto the event loop, and must not lose any: they run on the client's overflow thread.
     */
    @Test
    void aFullApplicationExecutorNeverMovesCallbacksOntoTheEventLoopNorLosesOne() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        FakeServer ns = cluster.nameServer(topic -> route(4, broker), 0);
        AtomicInteger rejections = new AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor app = new java.util.concurrent.ThreadPoolExecutor(2, 2, 0,
                TimeUnit.MILLISECONDS, new java.util.concurrent.ArrayBlockingQueue<>(1),
                new io.netty.util.concurrent.DefaultThreadFactory("app-callback", true),
                (task, pool) -> {
                    rejections.incrementAndGet();
                    new java.util.concurrent.ThreadPoolExecutor.AbortPolicy().rejectedExecution(task, pool);
                });
        Set<String> threads = ConcurrentHashMap.newKeySet();
        SendHook recording = new SendHook() {
            @Override
            public void beforeSend(SendContext c) {
                threads.add(Thread.currentThread().getName());
            }

            @Override
            public void afterSend(SendContext c) {
                threads.add(Thread.currentThread().getName());
                java.util.concurrent.locks.LockSupport.parkNanos(50_000); // a little application work
            }
        };
        try {
            MQClientInstance client = cluster.add(MQClientInstance.builder().nameServer(ns.address())
                    .callbackExecutor(app).build());
            client.start();
            Producer producer = FakeCluster.producer(client, GROUP, b -> b.hook(recording)
                    .sendTimeout(Duration.ofSeconds(20)));
            List<CompletableFuture<String>> completions = new java.util.ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                completions.add(producer.sendAsync(Message.builder("Full").body("m-" + i).build())
                        .handle((result, error) -> {
                            assertThat(error).isNull();
                            return Thread.currentThread().getName();
                        }));
            }
            for (CompletableFuture<String> f : completions) {
                threads.add(f.get(20, TimeUnit.SECONDS));
            }
            assertThat(rejections.get()).as("the executor was full at times").isPositive();
            print("full-callback-executor", "2,000 async sends, executor of 2 threads + 1 queue slot rejected %d "
                    + "tasks; callbacks and hooks ran on %s", rejections.get(), new java.util.TreeSet<>(threads));
            assertThat(threads).noneMatch(t -> t.startsWith("mq-io-"));
            assertThat(broker.sends()).hasSize(2_000);
        } finally {
            app.shutdown();
        }
    }

    /** close() waits for unregistering at most the configured time, not a fixed 3 s. */
    @Test
    void closeWaitsForUnregisteringAtMostTheUnregisterTimeout() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        FakeServer ns = cluster.nameServer(topic -> route(4, broker), 0);
        MQClientInstance client = cluster.add(MQClientInstance.builder().nameServer(ns.address())
                .unregisterTimeout(Duration.ofMillis(200)).build());
        client.start();
        Producer producer = FakeCluster.producer(client, GROUP, b -> b);
        assertThat(producer.send(Message.builder("Unregister").body("x").build()).isOk()).isTrue();
        broker.server.behaviour((ctx, request) -> { }); // from now on the broker answers nothing

        long start = System.nanoTime();
        client.close();
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(broker.received(dev.mq.core.internal.protocol.RequestCode.UNREGISTER_CLIENT)).hasSize(1);
        assertThat(took).isBetween(150L, 2_500L); // the fixed wait was 3 s
        print("unregister-timeout", "close() with a silent broker and unregisterTimeout 200 ms took %d ms", took);
    }

    /** With no NameServer up, start() still succeeds; the first send reports the outage. */
    @Test
    void startSucceedsWithNoNameServerUpAndTheFirstSendReportsIt() throws Exception {
        String dead;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            dead = "127.0.0.1:" + socket.getLocalPort();
        }
        MQClientInstance client = cluster.add(MQClientInstance.builder().nameServer(dead).build());
        client.start();
        assertThat(client.state()).isEqualTo(dev.mq.core.client.ClientState.RUNNING);
        Producer producer = FakeCluster.producer(client, GROUP, b -> b);
        MQException error = SendAssertions.failure(producer.sendAsync(Message.builder("T").body("x").build()));
        assertThat(error.reason()).isEqualTo(MQException.Reason.CONNECTION);
    }

    static void print(String test, String format, Object... args) {
        System.out.println("RELIABILITY " + test + ": " + String.format(java.util.Locale.ROOT, format, args));
    }

    private static void assertNotStarted(Throwable e) {
        assertThat(e).isInstanceOfSatisfying(MQException.class, mq -> {
            assertThat(mq.reason()).isEqualTo(MQException.Reason.SHUTDOWN);
            assertThat(mq.getMessage()).contains("not started");
            assertThat(mq.getCause()).isNull();
        });
    }
}
