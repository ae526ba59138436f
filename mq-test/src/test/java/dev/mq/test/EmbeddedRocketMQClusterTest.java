package dev.mq.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.junit.jupiter.api.Test;

class EmbeddedRocketMQClusterTest {

    private static final String TOPIC = "Failover";

    @Test
    void twoBrokerClusterServesTheOfficialClientBeforeDuringAndAfterAStoppedBroker() throws Exception {
        try (EmbeddedRocketMQ mq = EmbeddedRocketMQ.builder().brokers(2).build().start();
             OfficialProducer producer = new OfficialProducer(mq.nameServerAddress())) {
            mq.createTopic(TOPIC, 4);

            List<String> beforeStop = OfficialProducer.bodies("before", 500);
            List<String> onBroker0 = new ArrayList<>();
            Set<String> brokersUsed = new HashSet<>();
            for (String body : beforeStop) {
                SendResult result = producer.send(TOPIC, body);
                assertThat(result.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
                brokersUsed.add(result.getMessageQueue().getBrokerName());
                if (result.getMessageQueue().getBrokerName().equals(mq.brokerName(0))) {
                    onBroker0.add(body);
                }
            }
            assertThat(brokersUsed).containsExactlyInAnyOrder(mq.brokerName(0), mq.brokerName(1));

            mq.stopBroker(1);
            assertThat(mq.isBrokerRunning(1)).isFalse();

            List<String> afterStop = OfficialProducer.bodies("after", 1_000);
            for (String body : afterStop) {
                SendResult result = producer.send(TOPIC, body);
                assertThat(result.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
                assertThat(result.getMessageQueue().getBrokerName()).isEqualTo(mq.brokerName(0));
            }

            List<String> visibleWhileStopped = new ArrayList<>(onBroker0);
            visibleWhileStopped.addAll(afterStop);
            assertThat(bodies(OfficialConsumer.readAll(mq.nameServerAddress(), TOPIC,
                    visibleWhileStopped.size(), Duration.ofSeconds(60))))
                    .containsExactlyInAnyOrderElementsOf(visibleWhileStopped);

            mq.startBroker(1);
            assertThat(mq.isBrokerRunning(1)).isTrue();

            List<String> everything = new ArrayList<>(beforeStop);
            everything.addAll(afterStop);
            assertThat(bodies(OfficialConsumer.readAll(mq.nameServerAddress(), TOPIC,
                    everything.size(), Duration.ofSeconds(60))))
                    .containsExactlyInAnyOrderElementsOf(everything);
        }
    }

    @Test
    void closeLeavesNoProcessThreadOrFileBehind() {
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        EmbeddedRocketMQ mq = EmbeddedRocketMQ.builder().build().start();
        assertThat(ProcessHandle.current().children().count()).isEqualTo(2);
        assertThat(Files.isDirectory(mq.directory())).isTrue();

        mq.close();

        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isZero();
        assertThat(Files.exists(mq.directory())).isFalse();
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.isAlive() && !threadsBefore.contains(t) && t.getName().startsWith("mq-test"))
                .isEmpty();
    }

    private static List<String> bodies(List<StoredMessage> messages) {
        return messages.stream().map(m -> new String(m.getBody(), StandardCharsets.UTF_8)).toList();
    }
}
