package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.metrics.MicrometerSendHook;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MicrometerSendHook} on a producer sending to a fake broker. */
class SendMetricsTest {

    private final FakeCluster cluster = new FakeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void metersOfATopicWithoutSendsForTheIdleTimeLeaveTheRegistryAndComeBackWithTheNextSend() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerSendHook hook = new MicrometerSendHook(registry, Duration.ofMillis(500));
        Producer producer = FakeCluster.producer(cluster.client(cluster.nameServer(t -> route(2, broker), 0).address()),
                "pg-metrics", b -> b.hook(hook).sendTimeout(Duration.ofSeconds(30))); // a cold first lookup may be slow

        assertThat(producer.send(message("Once")).isOk()).isTrue();
        waitUntil(() -> topicMeters(registry, "Once") == 2); // the send timer and the size summary

        // Only "Busy" keeps sending: "Once" goes idle and its meters are removed, "Busy"'s stay.
        waitUntil(() -> {
            producer.send(message("Busy"));
            return topicMeters(registry, "Once") == 0;
        });
        assertThat(topicMeters(registry, "Busy")).isEqualTo(2);

        assertThat(producer.send(message("Once")).isOk()).isTrue();
        waitUntil(() -> topicMeters(registry, "Once") == 2);
        assertThat(registry.get(MicrometerSendHook.SEND).tag("topic", "Once").timer().count()).isEqualTo(1);
    }

    @Test
    void idleTimeIsReadFromTheRegistrysClock() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        MockClock clock = new MockClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        Producer producer = FakeCluster.producer(cluster.client(cluster.nameServer(t -> route(2, broker), 0).address()),
                "pg-metrics-clock", b -> b.hook(new MicrometerSendHook(registry, Duration.ofMinutes(10)))
                        .sendTimeout(Duration.ofSeconds(30)));

        assertThat(producer.send(message("Once")).isOk()).isTrue();
        waitUntil(() -> topicMeters(registry, "Once") == 2);
        clock.add(Duration.ofMinutes(9));
        assertThat(producer.send(message("Busy")).isOk()).isTrue();
        waitUntil(() -> topicMeters(registry, "Busy") == 2);
        assertThat(topicMeters(registry, "Once")).as("idle for 9 of 10 minutes").isEqualTo(2);

        clock.add(Duration.ofMinutes(2));
        assertThat(producer.send(message("Busy")).isOk()).isTrue();
        waitUntil(() -> topicMeters(registry, "Once") == 0);
        assertThat(topicMeters(registry, "Busy")).isEqualTo(2);
    }

    @Test
    void theIdleTimeMustBePositive() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        assertThatThrownBy(() -> new MicrometerSendHook(registry, Duration.ZERO))
                .isInstanceOfSatisfying(MQException.class, e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION))
                .hasMessageContaining("got PT0S");
    }

    private static long topicMeters(SimpleMeterRegistry registry, String topic) {
        return registry.getMeters().stream().map(Meter::getId).filter(id -> topic.equals(id.getTag("topic"))).count();
    }

    private static Message message(String topic) {
        return Message.builder(topic).body("x").build();
    }
}
