package dev.mq.core.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.ConsumerState;
import dev.mq.core.consumer.MessageSelector;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.internal.protocol.CheckClientBody;
import dev.mq.core.internal.protocol.HeartbeatBody.Subscription;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.producer.FakeBroker;
import dev.mq.core.producer.FakeCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The push consumer on the wire, against fake brokers: what it asks and sends, and when. */
class PushConsumerWireTest {

    private final FakeCluster cluster = new FakeCluster();
    private final FakeBroker brokerA = cluster.broker("broker-a");
    private final FakeBroker brokerB = cluster.broker("broker-b");
    private final MQClientInstance client = cluster.client(cluster.nameServer(
            topic -> FakeCluster.route(1, brokerA, brokerB), 0).address());

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static ConsumerConfig.Builder sqlAndTag(String group) {
        return ConsumerConfig.builder().group(group).subscribe("Orders", MessageSelector.sql92("amount > 100"))
                .subscribe("Audit", "created || paid").shutdownTimeout(Duration.ofSeconds(1));
    }

    private static boolean consumerThreadsOf(String group) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive()
                && (t.getName().startsWith("mq-consumer-" + group + "-") || t.getName().startsWith("mq-consume-" + group + "-")));
    }

    @Test
    void eachMasterOfAnSql92TopicIsAskedOnceBeforeAnyPullAndTagTopicsAreNot() throws Exception {
        try (PushConsumer consumer = client.newPushConsumer(sqlAndTag("sql-check").build(), m -> ConsumeResult.SUCCESS)) {
            consumer.start();
            assertThat(consumer.state()).isEqualTo(ConsumerState.RUNNING);
            for (FakeBroker broker : List.of(brokerA, brokerB)) {
                List<RemotingCommand> checks = broker.received(RequestCode.CHECK_CLIENT_CONFIG);
                assertThat(checks).hasSize(1);
                RemotingCommand check = checks.get(0);
                assertThat(check.extFields()).isEmpty();
                byte[] body = Objects.requireNonNull(check.body());
                String json = new String(body, StandardCharsets.UTF_8);
                assertThat(json).startsWith("{\"clientId\":\"" + client.clientId() + "\",\"group\":\"sql-check\",")
                        .doesNotContain("namespace");
                Subscription asked = CheckClientBody.decodeSubscription(body);
                assertThat(asked.topic()).isEqualTo("Orders");
                assertThat(asked.expressionType()).isEqualTo(Subscription.SQL92);
                assertThat(asked.subString()).isEqualTo("amount > 100");
            }
        }
    }

    @Test
    void aBrokerRefusingAnSql92SubscriptionFailsTheStartAndLeavesTheConsumerRestartable() throws Exception {
        brokerB.checkClientCode = 1; // SYSTEM_ERROR: property filtering is off there
        PushConsumer consumer = client.newPushConsumer(sqlAndTag("sql-refused").build(), m -> ConsumeResult.SUCCESS);
        try {
            assertThatThrownBy(consumer::start).isInstanceOfSatisfying(MQException.class,
                            e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION))
                    .hasMessageContaining("Orders").hasMessageContaining("amount > 100")
                    .hasMessageContaining("broker-b").hasMessageContaining(brokerB.address())
                    .hasMessageContaining("remark of 1").hasMessageContaining("enablePropertyFilter");
            assertThat(consumer.state()).isEqualTo(ConsumerState.CREATED);
            assertThat(client.consumers()).containsExactly(consumer);
            assertThat(consumerThreadsOf("sql-refused")).isFalse();
            // Nothing of the group reached a broker: no heartbeat named it, nothing was pulled.
            for (FakeBroker broker : List.of(brokerA, brokerB)) {
                assertThat(broker.received(RequestCode.HEART_BEAT)).noneMatch(h -> new String(
                        Objects.requireNonNull(h.body()), StandardCharsets.UTF_8).contains("sql-refused"));
                assertThat(broker.received(RequestCode.PULL_MESSAGE)).isEmpty();
            }

            brokerB.checkClientCode = 0;
            consumer.start();
            assertThat(consumer.state()).isEqualTo(ConsumerState.RUNNING);
            await(() -> brokerA.received(RequestCode.HEART_BEAT).stream().anyMatch(h -> new String(
                    Objects.requireNonNull(h.body()), StandardCharsets.UTF_8).contains("sql-refused")),
                    "a heartbeat names the group once started");
        } finally {
            consumer.close();
        }
        await(() -> !consumerThreadsOf("sql-refused"), "the consumer's threads ended");
    }
}
