package dev.mq.core.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException.Reason;
import dev.mq.core.Message;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.it.faults.TimedSends.Outcome;
import dev.mq.core.producer.AutoBatching;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.FaultProxy;
import dev.mq.test.OfficialConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import dev.mq.test.StoredMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker dies (or every connection to it is reset) under an async load of 10,000 messages. Promise:
 * every future completes by its deadline (+50 ms of scheduling slack), failures say CONNECTION or
 * TIMEOUT, and every message acknowledged SEND_OK is in the store — read back by Apache's own
 * consumer once the broker is up again.
 */
@FaultInjectionCluster
class BrokerCrashUnderLoadTest {

    private static final int MESSAGES = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final double SLACK_MILLIS = 50;
    private static final Set<Reason> TRANSPORT_REASONS = Set.of(Reason.CONNECTION, Reason.TIMEOUT);
    /**
     * Requests in flight at most. With the default (4,096) one broker on a busy two-core machine queues
     * requests past its 1 s send-queue wait and answers "broker busy" or lets them time out: failures
     * the fault did not cause. 256 keeps the broker's queue short while the sender still runs ahead.
     */
    private static final int CAP = 256;

    private SchedulingStalls stalls;

    @AfterEach
    void restore(EmbeddedRocketMQ mq) {
        if (stalls != null) {
            stalls.close();
        }
        mq.startBroker(0); // no-op when it runs
    }

    @ParameterizedTest(name = "auto-batching {0}")
    @ValueSource(booleans = {false, true})
    void brokerKilledUnderLoad(boolean autoBatching, EmbeddedRocketMQ mq) {
        String scenario = autoBatching ? "broker-crash-batched" : "broker-crash";
        String topic = autoBatching ? "FaultCrashBatched" : "FaultCrash";
        mq.createTopic(topic, 4);
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress()).build()) {
            client.start();
            Producer producer = client.newProducer(ProducerConfig.builder().group(scenario)
                    .sendTimeout(TIMEOUT).maxInFlightRequests(CAP)
                    .autoBatching(autoBatching ? AutoBatching.whenBusy() : AutoBatching.off()).build());
            assertThat(producer.send(Message.builder(topic).body("warm-up").build()).isOk()).isTrue();

            stalls = new SchedulingStalls();
            TimedSends sends = new TimedSends();
            int inFlightAtKill = -1;
            int issuedAtKill = -1;
            long killedAt = 0;
            for (int i = 0; i < MESSAGES; i++) {
                // Kill once a good part was acknowledged and requests are on the wire (at the latest at 8,000).
                boolean loaded = i >= 3_000 && sends.succeeded() >= 1_500 && producer.inFlightRequests() >= 50;
                if (inFlightAtKill < 0 && (loaded || i >= 8_000)) {
                    inFlightAtKill = producer.inFlightRequests();
                    issuedAtKill = i;
                    killedAt = System.nanoTime();
                    mq.stopBroker(0);
                }
                sends.send(producer, Message.builder(topic).body("crash-" + i).build(), TIMEOUT);
            }
            List<Outcome> outcomes = sends.awaitAll(TIMEOUT.plusSeconds(10));
            stalls.close();
            long lastDone = outcomes.stream().mapToLong(Outcome::doneNanos).max().orElseThrow();

            List<Outcome> acked = outcomes.stream().filter(Outcome::ok).toList();
            List<Outcome> failed = outcomes.stream().filter(o -> !o.ok()).toList();
            Reliability.print(scenario, "load %s; %d async sends (cap %d in flight), broker SIGKILLed after %d "
                            + "issued with %d in flight; %d SEND_OK, %d failed %s; max lateness vs deadline %.1f ms; "
                            + "completion p50 %.1f ms p99 %.1f ms max %.1f ms; last future done %d ms after the kill; "
                            + "worst JVM scheduling stall %.1f ms",
                    Reliability.uptime(), MESSAGES, CAP, issuedAtKill, inFlightAtKill, acked.size(), failed.size(),
                    TimedSends.errorKinds(outcomes), TimedSends.maxLatenessMillis(outcomes),
                    TimedSends.elapsedPercentile(outcomes, 50), TimedSends.elapsedPercentile(outcomes, 99),
                    TimedSends.elapsedPercentile(outcomes, 100), (lastDone - killedAt) / 1_000_000,
                    stalls.worstMillis());

            assertThat(outcomes).hasSize(MESSAGES);
            assertThat(issuedAtKill).isPositive();
            assertThat(TimedSends.maxLatenessMillis(outcomes)).as(stalls.describe())
                    .isLessThanOrEqualTo(SLACK_MILLIS);
            assertThat(failed).isNotEmpty(); // everything issued after the kill had no broker
            assertThat(failed).allSatisfy(o -> assertThat(o.reason()).as(String.valueOf(o.error()))
                    .isIn(TRANSPORT_REASONS));
            assertThat(acked.size()).isGreaterThanOrEqualTo(issuedAtKill - inFlightAtKill);

            long restartStart = System.nanoTime();
            mq.startBroker(0);
            long restartMillis = (System.nanoTime() - restartStart) / 1_000_000;
            // The same client, never restarted, sends again once the broker is back.
            assertThat(producer.send(Message.builder(topic).body("after-restart").build()).isOk()).isTrue();

            Set<String> expected = acked.stream().map(Outcome::body).collect(Collectors.toCollection(HashSet::new));
            expected.add("warm-up");
            expected.add("after-restart");
            assertAllReadBack(mq, topic, expected, scenario, "broker restarted in " + restartMillis + " ms");
        }
    }

    @Test
    void connectionsResetUnderLoad(EmbeddedRocketMQ mq) {
        String topic = "FaultReset";
        mq.createTopic(topic, 4);
        try (FaultProxy proxy = FaultProxy.start(mq.brokerAddress(0));
             ProxiedNameServer nameServer = new ProxiedNameServer()
                     .route(topic, mq.brokerName(0), proxy.address(), 4);
             MQClientInstance client = MQClientInstance.builder().nameServer(nameServer.address()).build()) {
            client.start();
            Producer producer = client.newProducer(ProducerConfig.builder().group("fault-reset")
                    .sendTimeout(TIMEOUT).maxInFlightRequests(CAP).build());
            assertThat(producer.send(Message.builder(topic).body("warm-up").build()).isOk()).isTrue();

            stalls = new SchedulingStalls();
            TimedSends sends = new TimedSends();
            int resets = 0;
            int connectionsReset = 0;
            int inFlightAtResets = 0;
            for (int i = 0; i < MESSAGES; i++) {
                // Three resets, each while the client is connected with requests on the wire; the broker stays up.
                if (resets < 3 && i >= 2_000 * (resets + 1) && proxy.openConnections() > 0
                        && producer.inFlightRequests() >= 50) {
                    inFlightAtResets += producer.inFlightRequests();
                    connectionsReset += proxy.resetAll();
                    resets++;
                }
                sends.send(producer, Message.builder(topic).body("reset-" + i).build(), TIMEOUT);
            }
            List<Outcome> outcomes = sends.awaitAll(TIMEOUT.plusSeconds(10));
            stalls.close();
            List<Outcome> acked = outcomes.stream().filter(Outcome::ok).toList();
            List<Outcome> failed = outcomes.stream().filter(o -> !o.ok()).toList();
            Reliability.print("connection-reset", "load %s; %d async sends (cap %d in flight), %d RSTs with %d "
                            + "requests in flight in total; %d SEND_OK, %d failed %s; max lateness vs deadline %.1f ms; "
                            + "completion p99 %.1f ms max %.1f ms; proxy accepted %d connections; worst JVM scheduling "
                            + "stall %.1f ms",
                    Reliability.uptime(), MESSAGES, CAP, resets, inFlightAtResets, acked.size(), failed.size(),
                    TimedSends.errorKinds(outcomes), TimedSends.maxLatenessMillis(outcomes),
                    TimedSends.elapsedPercentile(outcomes, 99), TimedSends.elapsedPercentile(outcomes, 100),
                    proxy.acceptedConnections(), stalls.worstMillis());

            assertThat(outcomes).hasSize(MESSAGES);
            assertThat(resets).isEqualTo(3);
            assertThat(connectionsReset).isGreaterThanOrEqualTo(resets);
            assertThat(TimedSends.maxLatenessMillis(outcomes)).as(stalls.describe())
                    .isLessThanOrEqualTo(SLACK_MILLIS);
            assertThat(failed).allSatisfy(o -> assertThat(o.reason()).as(String.valueOf(o.error()))
                    .isIn(TRANSPORT_REASONS));
            // The client reconnected after every reset (the first connection plus at least one per reset).
            assertThat(proxy.acceptedConnections()).isGreaterThanOrEqualTo(1 + resets);

            Set<String> expected = acked.stream().map(Outcome::body).collect(Collectors.toCollection(HashSet::new));
            expected.add("warm-up");
            assertAllReadBack(mq, topic, expected, "connection-reset", "");
        }
    }

    /** Reads the topic with Apache's consumer (via the real NameServer) and checks nothing acknowledged is missing. */
    private static void assertAllReadBack(EmbeddedRocketMQ mq, String topic, Set<String> expected, String test,
                                          String note) {
        long start = System.nanoTime();
        Set<String> notYetRead = new HashSet<>(expected);
        int[] examined = {0};
        List<StoredMessage> read = OfficialConsumer.readUntil(mq.nameServerAddress(), topic, sofar -> {
            for (; examined[0] < sofar.size(); examined[0]++) {
                notYetRead.remove(new String(sofar.get(examined[0]).getBody(), StandardCharsets.UTF_8));
            }
            return notYetRead.isEmpty();
        }, Duration.ofSeconds(60));
        Set<String> bodies = read.stream().map(m -> new String(m.getBody(), StandardCharsets.UTF_8))
                .collect(Collectors.toSet());
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(bodies);
        Set<String> extra = new HashSet<>(bodies);
        extra.removeAll(expected);
        Reliability.print(test, "read back %d messages in %d ms (until every acknowledged one was seen): %d "
                        + "acknowledged, %d missing; among those read, %d stored without an acknowledgement (answer "
                        + "lost in the fault, at-least-once), %d duplicates%s",
                read.size(), (System.nanoTime() - start) / 1_000_000, expected.size(), missing.size(), extra.size(),
                read.size() - bodies.size(), note.isEmpty() ? "" : "; " + note);
        assertThat(missing).as("acknowledged but not stored").isEmpty();
    }
}
