package dev.mq.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.rocketmq.client.producer.SendStatus;
import org.junit.jupiter.api.Test;

/**
 * The 4.9 line is the real thing too: Apache's 5.5.0 producer and {@link OfficialConsumer} round-trip
 * through a RocketMQ 4.9.7 NameServer and Broker.
 */
@WithEmbeddedRocketMQ(version = RocketMQVersion.V4_9, topics = EmbeddedRocketMQ49SmokeTest.TOPIC,
        brokerProperties = {"transactionCheckInterval=1500", "transactionCheckMax=4"})
class EmbeddedRocketMQ49SmokeTest {

    static final String TOPIC = "Smoke49";
    private static final String RESTART_TOPIC = "Restart49";
    private static final int COUNT = 300;

    @Test
    void officialClientReadsBackEveryMessageItSent(EmbeddedRocketMQ mq) throws Exception {
        List<String> sent = OfficialProducer.bodies("smoke49", COUNT);
        try (OfficialProducer producer = new OfficialProducer(mq.nameServerAddress())) {
            for (String body : sent) {
                assertThat(producer.send(TOPIC, body).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            }
        }

        List<StoredMessage> read = OfficialConsumer.readAll(mq.nameServerAddress(), TOPIC, COUNT, Duration.ofSeconds(60));

        assertThat(read).extracting(m -> new String(m.getBody(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    /**
     * A crashed 4.9 broker recovers its store on restart. Recovery unmaps store files through JDK
     * internals: without {@code --add-opens java.base/java.nio=ALL-UNNAMED} it fails on Java 17.
     */
    @Test
    void restartedBrokerStillServesWhatItStoredBeforeACrash(EmbeddedRocketMQ mq) throws Exception {
        mq.createTopic(RESTART_TOPIC, 2);
        List<String> sent = OfficialProducer.bodies("restart49", 100);
        try (OfficialProducer producer = new OfficialProducer(mq.nameServerAddress())) {
            for (String body : sent) {
                assertThat(producer.send(RESTART_TOPIC, body).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            }
        }

        mq.stopBroker(0);
        mq.startBroker(0);

        List<StoredMessage> read = OfficialConsumer.readAll(mq.nameServerAddress(), RESTART_TOPIC, sent.size(),
                Duration.ofSeconds(30));

        assertThat(read).extracting(m -> new String(m.getBody(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void runsTheRequestedReleaseLine(EmbeddedRocketMQ mq) {
        assertThat(mq.rocketmqVersion()).isEqualTo(RocketMQVersion.V4_9);
        assertThat(mq.toString()).contains("V4_9").contains("4.9.7");
        assertThat(System.getProperty("mq.name-server")).isEqualTo(mq.nameServerAddress());
    }

    /** A setting given by name reaches the running broker (4.9 and 5.x read the same names), and the rest keep their defaults. */
    @Test
    void brokerPropertiesReachTheBroker(EmbeddedRocketMQ mq) {
        assertThat(mq.brokerConfig(0, "transactionCheckInterval")).isEqualTo("1500");
        assertThat(mq.brokerConfig(0, "transactionCheckMax")).isEqualTo("4");
        assertThat(mq.brokerConfig(0, "transactionTimeOut")).isEqualTo("6000");
        assertThat(mq.brokerConfig(0, "noSuchSetting")).isEqualTo("null");
    }
}
