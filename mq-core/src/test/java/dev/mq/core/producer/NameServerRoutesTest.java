package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.failure;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.transport.FakeServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the client's route cache treats NameServer answers: refreshes, failover between NameServers,
 * and expiry of topics no longer sent to. Observed on the wire of fake NameServers and brokers.
 */
class NameServerRoutesTest {

    private static final String GROUP = "pg-routes";
    private static final int GET_ROUTE = RequestCode.GET_ROUTEINFO_BY_TOPIC;

    private final FakeCluster cluster = new FakeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    /**
     * While a broker restarts, the NameServer may briefly answer TOPIC_NOT_EXIST for a topic it knew,
     * while another broker offers the auto-create template. The refresh must keep the known route:
     * the template would create the topic on a broker it never lived on and move keys to other queues.
     */
    @Test
    void refreshKeepsAKnownRouteWhenTheNameServerForgetsTheTopicAndOffersTheTemplate() throws Exception {
        FakeBroker home = cluster.broker("broker-home");
        FakeBroker stranger = cluster.broker("broker-stranger");
        Function<String, byte[]> normal = topic -> topic.equals("Orders") ? route(4, home) : null;
        Function<String, byte[]> restarting = topic -> topic.equals("TBW102") ? route(8, stranger) : null;
        SwitchableRoutes routes = new SwitchableRoutes(normal);
        FakeServer ns = cluster.nameServer(routes, 0);
        MQClientInstance client = cluster.add(MQClientInstance.builder().nameServer(ns.address())
                .routeRefreshInterval(Duration.ofMillis(50)).build());
        client.start();
        Producer producer = FakeCluster.producer(client, GROUP, b -> b);

        assertThat(producer.send(message("Orders", "before")).queue().brokerName()).isEqualTo("broker-home");

        routes.answer = restarting;
        long asked = routeRequests(ns, "Orders");
        waitUntil(() -> routeRequests(ns, "Orders") >= asked + 3); // at least two refreshes fully answered

        assertThat(client.knownBrokers()).containsOnlyKeys("broker-home");
        for (int i = 0; i < 10; i++) {
            SendResult result = producer.send(message("Orders", "during-" + i));
            assertThat(result.queue().brokerName()).isEqualTo("broker-home");
        }
        assertThat(stranger.sends()).isEmpty();
        assertThat(routeRequests(ns, "TBW102")).isZero();
        ClientLifecycleTest.print("refresh-keeps-route", "%d refreshes answered TOPIC_NOT_EXIST with the template "
                + "offered by another broker: route kept %s, 10/10 sends to broker-home, 0 to the template broker",
                routeRequests(ns, "Orders") - asked, client.knownBrokers().keySet());

        // Once the NameServer knows the topic again, refreshes follow it as before.
        FakeBroker second = cluster.broker("broker-second");
        routes.answer = topic -> topic.equals("Orders") ? route(4, home, second) : null;
        waitUntil(() -> client.knownBrokers().containsKey("broker-second"));
    }

    /** A topic first reached through the template still follows the template until it is created. */
    @Test
    void aTopicKnownOnlyThroughTheTemplateStillRefreshesFromIt() throws Exception {
        FakeBroker first = cluster.broker("broker-first");
        FakeBroker other = cluster.broker("broker-other");
        SwitchableRoutes routes = new SwitchableRoutes(topic -> topic.equals("TBW102") ? route(8, first) : null);
        FakeServer ns = cluster.nameServer(routes, 0);
        MQClientInstance client = cluster.add(MQClientInstance.builder().nameServer(ns.address())
                .routeRefreshInterval(Duration.ofMillis(50)).build());
        client.start();
        Producer producer = FakeCluster.producer(client, GROUP, b -> b);
        assertThat(producer.send(message("Fresh", "x")).queue().brokerName()).isEqualTo("broker-first");

        routes.answer = topic -> topic.equals("TBW102") ? route(8, other) : null;
        waitUntil(() -> client.knownBrokers().containsKey("broker-other"));
    }

    /** A busy, failing or leaving NameServer is skipped like an unreachable one. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 1500}) // SYSTEM_ERROR, SYSTEM_BUSY, GO_AWAY
    void aNameServerAnsweringATransientErrorHandsTheLookupToTheNext(int code) throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        FakeServer refusing = cluster.add(new FakeServer(FakeServer.answering(code)));
        FakeServer answering = cluster.nameServer(topic -> route(4, broker), 0);
        MQClientInstance client = cluster.client(refusing.address() + ";" + answering.address());
        Producer producer = FakeCluster.producer(client, GROUP, b -> b);

        assertThat(producer.send(message("Failover", "x")).isOk()).isTrue();
        assertThat(routeRequests(refusing, "Failover")).isEqualTo(1);
        assertThat(routeRequests(answering, "Failover")).isEqualTo(1);

        // The next lookup starts at the NameServer that answered.
        assertThat(producer.send(message("Failover2", "y")).isOk()).isTrue();
        assertThat(routeRequests(refusing, "Failover2")).isZero();
    }

    /** TOPIC_NOT_EXIST is a definite answer: asking the next NameServer would only delay NO_ROUTE. */
    @Test
    void topicNotExistIsADefiniteAnswerAndNotFailedOver() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        FakeServer first = cluster.nameServer(topic -> null, 0);
        FakeServer second = cluster.nameServer(topic -> route(4, broker), 0);
        MQClientInstance client = cluster.client(first.address() + ";" + second.address());
        Producer producer = FakeCluster.producer(client, GROUP, b -> b);

        MQException error = failure(producer.sendAsync(message("Nowhere", "x")));
        assertThat(error.reason()).isEqualTo(MQException.Reason.NO_ROUTE);
        assertThat(second.received()).isEmpty();
    }

    /** Every NameServer answering a transient error: the lookup fails, naming the last answer. */
    @Test
    void everyNameServerRefusingFailsTheLookup() throws Exception {
        FakeServer busy = cluster.add(new FakeServer(FakeServer.answering(2)));
        FakeServer failing = cluster.add(new FakeServer(FakeServer.answering(1)));
        MQClientInstance client = cluster.client(busy.address() + ";" + failing.address());
        Producer producer = FakeCluster.producer(client, GROUP, b -> b);

        MQException error = failure(producer.sendAsync(message("Refused", "x"), Duration.ofSeconds(5)));
        assertThat(error.getMessage()).contains("SYSTEM_ERROR");
        assertThat(routeRequests(busy, "Refused")).isEqualTo(1);
        assertThat(routeRequests(failing, "Refused")).isEqualTo(1);
        assertThat(producer.inFlightRequests()).isZero();
    }

    /**
     * A topic no longer sent to leaves the cache after the idle timeout (no more refreshes or
     * heartbeats for it); one still sent to stays; a send to an expired topic looks it up again.
     */
    @Test
    void aTopicNotSentToForTheIdleTimeoutIsDroppedAndLookedUpAgainOnItsNextSend() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        FakeServer ns = cluster.nameServer(topic -> route(4, broker), 0);
        MQClientInstance client = cluster.add(MQClientInstance.builder().nameServer(ns.address())
                .routeRefreshInterval(Duration.ofMillis(50)).topicIdleTimeout(Duration.ofMillis(300)).build());
        client.start();
        Producer producer = FakeCluster.producer(client, GROUP, b -> b);
        assertThat(producer.send(message("Busy", "x")).isOk()).isTrue();
        assertThat(producer.send(message("Idle", "x")).isOk()).isTrue();
        long idleSince = System.nanoTime();
        // The route is cached once every send that waited for it has been resumed (just after the send).
        waitUntil(() -> client.knownTopics().containsAll(java.util.List.of("Busy", "Idle")));

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (client.knownTopics().contains("Idle")) {
            assertThat(System.nanoTime()).as("the idle topic is dropped within 5 s").isLessThan(deadline);
            assertThat(producer.send(message("Busy", "keep-alive")).isOk()).isTrue();
            Thread.sleep(10);
        }
        assertThat(client.knownTopics()).contains("Busy");
        ClientLifecycleTest.print("topic-idle-expiry", "idle timeout 300 ms, refresh 50 ms: idle topic dropped "
                + "%d ms after its last send", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince));
        // No more refreshes for the dropped topic: six refresh intervals pass without a request for it
        // (one refresh may still have been under way when it was dropped).
        Thread.sleep(60);
        long afterDrop = routeRequests(ns, "Idle");
        long busyBefore = routeRequests(ns, "Busy");
        Thread.sleep(300);
        assertThat(routeRequests(ns, "Idle")).isEqualTo(afterDrop);
        assertThat(routeRequests(ns, "Busy")).isGreaterThan(busyBefore); // refreshes did run meanwhile

        long before = routeRequests(ns, "Idle");
        assertThat(producer.send(message("Idle", "again")).isOk()).isTrue();
        assertThat(routeRequests(ns, "Idle")).isEqualTo(before + 1);
        waitUntil(() -> client.knownTopics().contains("Idle"));
    }

    static Message message(String topic, String body) {
        return Message.builder(topic).body(body).build();
    }

    static long routeRequests(FakeServer ns, String topic) {
        return ns.received().stream().filter(c -> c.code() == GET_ROUTE && topic.equals(c.field("topic"))).count();
    }

    /** NameServer answers that a test switches while the client runs. */
    static final class SwitchableRoutes implements Function<String, byte[]> {

        volatile Function<String, byte[]> answer;

        SwitchableRoutes(Function<String, byte[]> answer) {
            this.answer = answer;
        }

        @Override
        public byte[] apply(String topic) {
            return answer.apply(topic);
        }
    }
}
