package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.client.ClientResources;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.testing.ManualClock;
import dev.mq.core.testing.ManualTimer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every stage of a send ends at its deadline, read on the client's clock: waiting for a route,
 * waiting for its queue, and waiting for the broker's answer. Time here is a manual clock and a
 * timer driven by it, so each test sees the send still pending one millisecond before its deadline
 * and failed at it, without sleeping. Completions run on the thread that completes the send (the
 * callback executor is {@code Runnable::run}), so what the timer fires is over when
 * {@code advance} returns; only the answer to a request on the wire comes back through the event
 * loop, and that is awaited (bounded).
 */
class DeadlineTest {

    private static final String GROUP = "pg-deadline";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration ONE_TICK = Duration.ofMillis(1);

    private final ManualClock clock = new ManualClock();
    private final ManualTimer timer = new ManualTimer(clock);
    private final ClientResources resources = ClientResources.builder().name("deadline").clock(clock).timer(timer)
            .callbackExecutor(Runnable::run).build();
    private final FakeCluster cluster = new FakeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
        resources.close();
    }

    private Producer producer(FakeServer nameServer) {
        return producer(nameServer, AutoBatching.off());
    }

    private Producer producer(FakeServer nameServer, AutoBatching batching) {
        MQClientInstance client = cluster.add(MQClientInstance.builder().nameServer(nameServer.address())
                .nameServerTimeout(Duration.ofSeconds(10)).resources(resources).build());
        client.start();
        return FakeCluster.producer(client, GROUP, b -> b.autoBatching(batching));
    }

    /**
     * Advances the clock to one tick before {@code send}'s deadline ({@link #SEND_TIMEOUT} from now):
     * still pending, no timer fired; then to the deadline: failed with TIMEOUT, returned.
     */
    private MQException pendingUntilItsDeadlineThenTimedOut(CompletableFuture<SendResult> send) throws Exception {
        timer.advance(SEND_TIMEOUT.minus(ONE_TICK));
        assertThat(send).isNotDone();
        assertThat(timer.firedCount()).isZero();

        timer.advance(ONE_TICK);
        assertThat(send).isCompletedExceptionally();
        MQException error = SendAssertions.failure(send);
        assertThat(error.reason()).isEqualTo(MQException.Reason.TIMEOUT);
        return error;
    }

    private static Message message() {
        return Message.builder("Deadlines").body("x").build();
    }

    @Test
    void aSendWhoseRouteNeverComesFailsWithTimeoutExactlyAtItsDeadline() throws Exception {
        // The NameServer takes the lookup and never answers; its own deadline (10 s) is far away.
        FakeBroker broker = cluster.broker("broker-a");
        FakeServer nameServer = cluster.nameServer(topic -> route(4, broker), 0, new CompletableFuture<>());
        Producer producer = producer(nameServer);

        CompletableFuture<SendResult> send = producer.sendAsync(message(), SEND_TIMEOUT);
        SendAssertions.waitUntil(() -> nameServer.received().size() == 1); // the lookup is on the wire

        MQException error = pendingUntilItsDeadlineThenTimedOut(send);
        assertThat(error).hasMessageContaining("route of topic 'Deadlines' was not available within the send "
                + "deadline of 1000 ms");
        assertThat(producer.inFlightRequests()).isZero();
    }

    @Test
    void anOrderlySendWaitingBehindItsQueuesFlightFailsWithTimeoutExactlyAtItsDeadline() throws Exception {
        FakeBroker silent = cluster.broker("broker-a", request -> null);
        Producer producer = producer(cluster.nameServer(topic -> route(4, silent), 0));

        CompletableFuture<SendResult> first = producer.sendAsync(message(), QueueSelectors.queueId(0), null,
                Duration.ofSeconds(10));
        SendAssertions.waitUntil(() -> silent.sends().size() == 1); // on the wire, holding queue 0
        CompletableFuture<SendResult> second = producer.sendAsync(message(), QueueSelectors.queueId(0), null,
                SEND_TIMEOUT);

        MQException error = pendingUntilItsDeadlineThenTimedOut(second);
        assertThat(error).hasMessageContaining("waited behind earlier sends to the same queue past its deadline");
        assertThat(first).isNotDone(); // its own deadline is 10 s away
        assertThat(silent.sends()).hasSize(1); // the expired send was never written
        assertThat(producer.inFlightRequests()).isEqualTo(1);
    }

    @Test
    void anAutoBatchedSendWaitingBehindALaterDeadlineFailsAloneWithTimeoutExactlyAtItsDeadline() throws Exception {
        FakeBroker silent = cluster.broker("broker-a", request -> null);
        Producer producer = producer(cluster.nameServer(topic -> route(1, silent), 0), AutoBatching.whenBusy());

        CompletableFuture<SendResult> first = producer.sendAsync(message(), Duration.ofSeconds(10));
        SendAssertions.waitUntil(() -> silent.sends().size() == 1); // on the wire: the queue is muted
        // Its deadline comes before the one ahead of it, so it cannot count on leaving in time: it has a timer.
        CompletableFuture<SendResult> second = producer.sendAsync(message(), SEND_TIMEOUT);

        MQException error = pendingUntilItsDeadlineThenTimedOut(second);
        assertThat(error).hasMessageContaining("the send waited behind earlier sends to")
                .hasMessageContaining("past its deadline");
        assertThat(first).isNotDone(); // its own deadline is 10 s away
        assertThat(silent.sends()).hasSize(1); // the expired send was never written
        assertThat(producer.inFlightRequests()).isEqualTo(1);
    }

    @Test
    void aRequestOnTheWireWithNoAnswerFailsWithTimeoutExactlyAtItsDeadline() throws Exception {
        FakeBroker silent = cluster.broker("broker-a", request -> null);
        Producer producer = producer(cluster.nameServer(topic -> route(4, silent), 0));

        CompletableFuture<SendResult> send = producer.sendAsync(message(), SEND_TIMEOUT);
        SendAssertions.waitUntil(() -> silent.sends().size() == 1);

        timer.advance(SEND_TIMEOUT.minus(ONE_TICK));
        assertThat(timer.firedCount()).isZero();
        assertThat(send).isNotDone();

        timer.advance(ONE_TICK);
        assertThat(timer.firedCount()).isEqualTo(1); // the request's deadline, and nothing else
        // The expiry moves to the connection's event loop, which fails the request: a bounded wait.
        MQException error = SendAssertions.failure(send);
        assertThat(error.reason()).isEqualTo(MQException.Reason.TIMEOUT);
        assertThat(silent.sends()).hasSize(1); // a timeout is not retried: the broker may have stored it
        SendAssertions.waitUntil(() -> producer.inFlightRequests() == 0);
    }
}
