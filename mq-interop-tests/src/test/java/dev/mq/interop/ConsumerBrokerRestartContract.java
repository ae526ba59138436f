package dev.mq.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.test.EmbeddedRocketMQ;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;

/**
 * The broker is killed (SIGKILL) while our consumer works through a backlog and started again on
 * its store: consumption resumes where it was, nothing is lost, and messages written after the
 * restart arrive too. Each release line runs it in a subclass with a cluster of its own.
 */
abstract class ConsumerBrokerRestartContract {

    static final String TOPIC = "InteropRestart";
    private static final int BACKLOG = 3000;

    @Test
    void consumptionResumesAfterTheBrokerIsKilledAndRestartedAndNothingIsLost(EmbeddedRocketMQ mq) throws Exception {
        List<String> sent = new ArrayList<>();
        DefaultMQProducer producer = Apache.producer(mq.nameServerAddress(), "interop-restart-producer");
        try {
            for (int b = 0; b < BACKLOG / 100; b++) {
                List<Message> batch = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    batch.add(new Message(TOPIC, "T", ("backlog " + (b * 100 + i)).getBytes(StandardCharsets.UTF_8)));
                }
                SendResult r = producer.send(batch);
                assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
                batch.forEach(m -> sent.add(new String(m.getBody(), StandardCharsets.UTF_8)));
            }
        } finally {
            producer.shutdown();
        }
        assertThat(sent).hasSize(BACKLOG);

        Deliveries deliveries = new Deliveries();
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .instanceName("interop-restart").build()) {
            client.start();
            PushConsumer consumer = client.newPushConsumer(ConsumerConfig.builder().group("interop-restart")
                    .subscribe(TOPIC, "*").consumeFrom(ConsumeFrom.FIRST_OFFSET).concurrency(2)
                    .commitInterval(Duration.ofSeconds(1)).maxCachedMessages(100).build(), m -> {
                        // by body: a 4.9 broker gives every message of a batch the batch's id (apache/rocketmq #9416)
                        deliveries.add("ours", new String(m.body(), StandardCharsets.UTF_8));
                        Thread.sleep(4); // about 500 a second: the backlog outlasts the restart
                        return ConsumeResult.SUCCESS;
                    });
            consumer.start();
            assertThat(Deliveries.await(() -> deliveries.all().size() >= 500, Duration.ofSeconds(30))).isTrue();

            mq.stopBroker(0);
            int beforeRestart = deliveries.all().size();
            mq.startBroker(0);
            assertThat(beforeRestart).as("killed mid-backlog").isLessThan(BACKLOG);

            DefaultMQProducer after = Apache.producer(mq.nameServerAddress(), "interop-restart-producer-2");
            try {
                for (int i = 0; i < 100; i++) {
                    SendResult r = after.send(new Message(TOPIC, "T", ("after " + i).getBytes(StandardCharsets.UTF_8)));
                    assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
                    sent.add("after " + i);
                }
            } finally {
                after.shutdown();
            }

            assertThat(deliveries.awaitAll(sent, Duration.ofSeconds(60))).as("every message delivered").isTrue();
            consumer.close();
            System.out.printf("restart: sent %d, delivered %d (%d before the kill), duplicated %d%n", sent.size(),
                    deliveries.all().size(), beforeRestart, deliveries.duplicated().size());
            assertThat(deliveries.ids()).containsExactlyInAnyOrderElementsOf(sent);
        }
    }
}
