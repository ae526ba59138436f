package dev.mq.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Message;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.internal.consume.DefaultPushConsumer;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** The broker is killed and restarted while a consumer reads from it: consumption resumes, nothing is lost. */
class ConsumerBrokerRestartIntegrationTest {

    @Test
    void aConsumerResumesAfterItsBrokerIsKilledAndRestartedAndMissesNothing() {
        try (EmbeddedRocketMQ mq = EmbeddedRocketMQ.builder().build().start();
             MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                     .heartbeatInterval(Duration.ofSeconds(2)).routeRefreshInterval(Duration.ofSeconds(2)).build()) {
            mq.createTopic("RestartBroker", 4);
            client.start();
            Producer producer = client.newProducer(ProducerConfig.builder().group("restart-broker-producer")
                    .sendTimeout(Duration.ofSeconds(30)).build());
            ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
            PushConsumer consumer = client.newPushConsumer(ConsumerConfig.builder().group("restart-broker-group")
                    .subscribe("RestartBroker", "*").consumeFrom(ConsumeFrom.FIRST_OFFSET)
                    .commitInterval(Duration.ofMillis(500)).build(), m -> {
                        seen.add(m.messageId());
                        return ConsumeResult.SUCCESS;
                    });
            ((DefaultPushConsumer) consumer).rebalanceInterval(Duration.ofSeconds(2));
            consumer.start();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sent.add(producer.send(Message.builder("RestartBroker").body("before-" + i).build()).messageId());
            }
            ConsumerIntegrationTest.awaitTrue(() -> new HashSet<>(seen).size() >= 100, "the first 100 consumed");

            mq.stopBroker(0);
            mq.startBroker(0);

            for (int i = 0; i < 100; i++) {
                sent.add(producer.send(Message.builder("RestartBroker").body("after-" + i).build()).messageId());
            }
            ConsumerIntegrationTest.awaitTrue(() -> new HashSet<>(seen).containsAll(sent),
                    "every message consumed after the broker came back");
            assertThat(consumer.assignedQueues()).extracting(dev.mq.core.MessageQueue::topic).contains("RestartBroker");
            consumer.close();
        }
    }
}
