package dev.mq.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.rocketmq.client.producer.SendStatus;
import org.junit.jupiter.api.Test;

/** Proves the embedded broker is the real thing: Apache's own producer and consumer round-trip through it. */
@WithEmbeddedRocketMQ(topics = EmbeddedRocketMQSmokeTest.TOPIC,
        brokerProperties = {"transactionCheckInterval=1500", "transactionCheckMax=4"})
class EmbeddedRocketMQSmokeTest {

    static final String TOPIC = "Smoke";
    private static final int COUNT = 1_000;

    @Test
    void officialClientReadsBackEveryMessageItSent(EmbeddedRocketMQ mq) throws Exception {
        List<String> sent = OfficialProducer.bodies("smoke", COUNT);
        try (OfficialProducer producer = new OfficialProducer(mq.nameServerAddress())) {
            for (String body : sent) {
                assertThat(producer.send(TOPIC, body).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            }
        }

        List<StoredMessage> read = OfficialConsumer.readAll(mq.nameServerAddress(), TOPIC, COUNT, Duration.ofSeconds(60));

        assertThat(read).extracting(m -> new String(m.getBody(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void exposesTheAddressToSpringBootThroughTheSystemProperty(EmbeddedRocketMQ mq) {
        assertThat(System.getProperty("mq.name-server")).isEqualTo(mq.nameServerAddress());
        assertThat(mq.nameServerAddress()).startsWith("127.0.0.1:");
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
