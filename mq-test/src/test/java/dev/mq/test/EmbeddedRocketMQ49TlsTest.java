package dev.mq.test;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.rocketmq.client.producer.SendStatus;
import org.junit.jupiter.api.Test;

/**
 * The 4.9 launcher honours the TLS mode the builder asks for, as the 5.x one does: the launchers only
 * default {@code tls.server.mode} to disabled when the parent left it unset. With TLS enforced, the
 * servers close every plaintext connection, so a producer that gets routes and acknowledgements has
 * spoken TLS to the NameServer and the broker.
 */
class EmbeddedRocketMQ49TlsTest {

    private static final String TOPIC = "Tls49";

    @Test
    void enforcingTlsOnTheFourNineLineCarriesSendsOverTls() throws Exception {
        try (EmbeddedRocketMQ mq = EmbeddedRocketMQ.builder().rocketmqVersion(RocketMQVersion.V4_9)
                .tls(TlsMode.ENFORCING).build().start()) {
            mq.createTopic(TOPIC, 2);

            try (OfficialProducer producer = new OfficialProducer(mq.nameServerAddress(), true)) {
                for (String body : OfficialProducer.bodies("tls49", 20)) {
                    assertThat(producer.send(TOPIC, body).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
                }
            }
            assertThat(mq.tlsMode()).isEqualTo(TlsMode.ENFORCING);
        }
    }
}
