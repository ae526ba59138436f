package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.failure;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static dev.mq.core.testing.Wire.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.transport.FakeServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Closing producers and clients: sends after close, every future completed, validation before any I/O. */
class ProducerLifecycleTest extends FakeClusterTestBase {

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
}
