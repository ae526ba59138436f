package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.failure;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.SendResult;
import dev.mq.core.internal.transport.FakeServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The in-flight cap seen from a caller: FAIL refuses at once, BLOCK waits up to the deadline. */
class BackpressureTest extends FakeClusterTestBase {

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
}
