package dev.mq.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.it.faults.TwoBrokerCluster;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.OfficialConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import dev.mq.test.StoredMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A broker of a two-broker cluster dies mid-stream: sends go on on the other, nothing acknowledged is lost. */
@TwoBrokerCluster
class ClusterFailoverIntegrationTest {

    @AfterEach
    void restore(EmbeddedRocketMQ mq) {
        mq.startBroker(1);
    }

    @Test
    void stoppingOneBrokerMidStreamKeepsSendsSucceedingOnTheOther(EmbeddedRocketMQ mq) {
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress()).build()) {
            mq.createTopic("Failover", 4);
            client.start();
            Producer producer = client.newProducer(ProducerConfig.builder().group("failover-it").build());

            List<String> acknowledged = new ArrayList<>();
            Set<String> brokersBefore = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                SendResult r = producer.send(Message.builder("Failover").body("before-" + i).build());
                assertThat(r.isOk()).isTrue();
                brokersBefore.add(r.queue().brokerName());
                acknowledged.add("before-" + i);
            }
            assertThat(brokersBefore).containsExactlyInAnyOrder(mq.brokerName(0), mq.brokerName(1));

            mq.stopBroker(1);

            // Async, so that sends are in flight on broker-1's connection when it dies on the next run too.
            List<CompletableFuture<SendResult>> after = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                after.add(producer.sendAsync(Message.builder("Failover").body("after-" + i).build()));
            }
            for (int i = 0; i < after.size(); i++) {
                SendResult r = after.get(i).join();
                assertThat(r.isOk()).isTrue();
                assertThat(r.queue().brokerName()).isEqualTo(mq.brokerName(0));
                acknowledged.add("after-" + i);
            }

            mq.startBroker(1);
            List<StoredMessage> read = OfficialConsumer.readAll(mq.nameServerAddress(), "Failover", acknowledged.size(),
                    Duration.ofSeconds(60));
            assertThat(read).extracting(m -> new String(m.getBody(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrderElementsOf(acknowledged);
        }
    }
}
