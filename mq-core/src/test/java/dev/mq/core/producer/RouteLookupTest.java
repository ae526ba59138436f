package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.failure;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.RemotingCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A send's route: one coalesced lookup, the auto-create template, NameServer failover, and deadlines that
 * cover the wait.
 */
class RouteLookupTest extends FakeClusterTestBase {

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

    @Test
    void routeTimeoutMessageQuotesTheCallsOwnDeadline() throws Exception {
        FakeServer ns = new FakeServer((ctx, request) -> { }); // never answers
        cluster.add(ns);
        Producer producer = producer(client(ns.address()), b -> b);
        MQException e = failure(producer.sendAsync(message("Slow", "x"), Duration.ofMillis(300)));
        assertThat(e.reason()).isEqualTo(MQException.Reason.TIMEOUT);
        assertThat(e.getMessage()).contains("300 ms");
    }
}
