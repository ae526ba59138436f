package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.remoting.FakeServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
        // Both sides of the race were seen: the test means something.
        assertThat(outcomes).containsKey("ok");
        assertThat(outcomes.keySet()).anyMatch(k -> !k.equals("ok"));
    }

    private static void assertNotStarted(Throwable e) {
        assertThat(e).isInstanceOfSatisfying(MQException.class, mq -> {
            assertThat(mq.reason()).isEqualTo(MQException.Reason.SHUTDOWN);
            assertThat(mq.getMessage()).contains("not started");
            assertThat(mq.getCause()).isNull();
        });
    }
}
