package dev.mq.core.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mq.core.MQException;
import dev.mq.core.MQException.Reason;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The NameServers are down. Promises: with no route cached a send fails within its deadline with a
 * CONNECTION (or NO_ROUTE) error that names the NameServers; when one comes back the same client
 * recovers, nothing restarted; with routes cached, sends go on while every NameServer is down, route
 * refreshes failing in the background.
 */
@FaultInjectionCluster
class NameServerOutageTest {

    private static final String TOPIC = "FaultNameServer";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final double SLACK_MILLIS = 50;

    @BeforeAll
    static void topic(EmbeddedRocketMQ mq) {
        mq.createTopic(TOPIC, 4);
    }

    @AfterEach
    void restore(EmbeddedRocketMQ mq) {
        mq.startNameServer(); // no-op when it runs
    }

    @Test
    void nameServersDownAtStartFailClearlyAndTheSameClientRecovers(EmbeddedRocketMQ mq) throws Exception {
        mq.stopNameServer();
        String neverUp = "127.0.0.1:" + unusedPort();
        String nameServers = neverUp + ";" + mq.nameServerAddress();
        try (MQClientInstance client = MQClientInstance.builder().nameServer(nameServers).build()) {
            client.start();
            Producer producer = client.newProducer(ProducerConfig.builder().group("fault-ns-start")
                    .sendTimeout(TIMEOUT).build());

            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> producer.send(message("while-down")));
            double syncMillis = (System.nanoTime() - start) / 1e6;
            assertThat(thrown).isInstanceOf(MQException.class);
            MQException syncError = (MQException) thrown;
            long asyncStart = System.nanoTime();
            CompletableFuture<SendResult> async = producer.sendAsync(message("while-down-async"));
            MQException asyncError = failure(async);
            double asyncMillis = (System.nanoTime() - asyncStart) / 1e6;

            long restartStart = System.nanoTime();
            mq.startNameServer();
            double restartMillis = (System.nanoTime() - restartStart) / 1e6;
            long recoveryStart = System.nanoTime();
            SendResult recovered = producer.send(message("after-restart"));
            double recoveryMillis = (System.nanoTime() - recoveryStart) / 1e6;

            Reliability.print("name-server-down-at-start", "load %s; deadline %d ms, name servers [never up, "
                            + "stopped]: sync send failed after %.1f ms (%s), async after %.1f ms (%s): \"%s\"; name "
                            + "server restarted in %.0f ms; first send after it, same client: %s in %.1f ms",
                    Reliability.uptime(), TIMEOUT.toMillis(), syncMillis, syncError.reason(), asyncMillis,
                    asyncError.reason(), syncError.getMessage(), restartMillis, recovered.status(), recoveryMillis);

            for (MQException e : List.of(syncError, asyncError)) {
                assertThat(e.reason()).isIn(Reason.CONNECTION, Reason.NO_ROUTE);
                assertThat(e.getMessage()).contains(neverUp, mq.nameServerAddress());
            }
            assertThat(syncMillis).isLessThanOrEqualTo(TIMEOUT.toMillis() + SLACK_MILLIS);
            assertThat(asyncMillis).isLessThanOrEqualTo(TIMEOUT.toMillis() + SLACK_MILLIS);
            assertThat(recovered.isOk()).isTrue();
            assertThat(client.knownTopics()).contains(TOPIC);
        }
    }

    @Test
    void sendsContinueWithCachedRoutesWhileEveryNameServerIsDown(EmbeddedRocketMQ mq) throws Exception {
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .routeRefreshInterval(Duration.ofSeconds(1)).build()) {
            client.start();
            Producer producer = client.newProducer(ProducerConfig.builder().group("fault-ns-cached")
                    .sendTimeout(TIMEOUT).build());
            assertThat(producer.send(message("route-cached")).isOk()).isTrue();
            assertThat(client.lastNameServerError()).isNull();

            mq.stopNameServer();
            long down = System.nanoTime();
            List<SendResult> whileDown = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                whileDown.add(producer.send(message("ns-down-" + i)));
            }
            // Wait (bounded) until a background route refresh has failed against the dead NameServer...
            long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.lastNameServerError() == null && System.nanoTime() < bound) {
                LockSupport.parkNanos(20_000_000);
            }
            String refreshError = client.lastNameServerError();
            double refreshFailedAfter = (System.nanoTime() - down) / 1e6;
            // ...and keep sending: the cached route still serves.
            List<CompletableFuture<SendResult>> async = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                async.add(producer.sendAsync(message("ns-down-async-" + i)));
            }
            for (CompletableFuture<SendResult> f : async) {
                whileDown.add(f.get(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS));
            }

            Reliability.print("name-servers-down-routes-cached", "load %s; all name servers down: %d sends, %d "
                            + "SEND_OK; a route refresh failed %.0f ms after the outage began (\"%s\"); brokers still "
                            + "known: %s",
                    Reliability.uptime(), whileDown.size(), whileDown.stream().filter(SendResult::isOk).count(),
                    refreshFailedAfter, refreshError, client.knownBrokers().keySet());

            assertThat(refreshError).as("a route refresh failed while the name server was down")
                    .isNotNull().contains(mq.nameServerAddress());
            assertThat(whileDown).hasSize(220).allMatch(SendResult::isOk);
            assertThat(client.knownBrokers()).containsKey(mq.brokerName(0));
        }
    }

    private static Message message(String body) {
        return Message.builder(TOPIC).body(body).build();
    }

    private static MQException failure(CompletableFuture<SendResult> future) throws InterruptedException {
        try {
            SendResult unexpected = future.get(TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + unexpected);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(MQException.class);
            return (MQException) e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the send did not complete", e);
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
