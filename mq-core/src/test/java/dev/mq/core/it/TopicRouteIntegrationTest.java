package dev.mq.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.it.faults.FaultInjectionCluster;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Route failures against the real NameServer: what a user sees when a topic or a name server is
 * missing. The injected cluster is the fault tests' shared one; the test with auto-creation off
 * starts its own.
 */
@FaultInjectionCluster
class TopicRouteIntegrationTest {

    @Test
    void unknownTopicWithAutoCreateOffFailsFastWithNoRoute() {
        try (EmbeddedRocketMQ mq = EmbeddedRocketMQ.builder().autoCreateTopic(false).build().start();
             MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress()).build()) {
            client.start();
            Producer producer = client.newProducer(ProducerConfig.builder().group("route-it").build());
            long start = System.nanoTime();
            assertThatThrownBy(() -> producer.send(Message.builder("NoSuchTopic").body("x").build()))
                    .isInstanceOfSatisfying(MQException.class, e -> {
                        assertThat(e.reason()).isEqualTo(MQException.Reason.NO_ROUTE);
                        assertThat(e.getMessage()).contains("'NoSuchTopic'", mq.nameServerAddress(),
                                "autoCreateTopicEnable");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    /** On the plain 5.x broker the fault tests share: topic auto-creation is on by default. */
    @Test
    void unknownTopicIsCreatedByTheBrokerWhenAutoCreateIsOn(EmbeddedRocketMQ mq) {
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress()).build()) {
            client.start();
            Producer producer = client.newProducer(ProducerConfig.builder().group("route-it").build());
            for (int i = 0; i < 20; i++) {
                assertThat(producer.send(Message.builder("AutoCreated").body("m" + i).build()).isOk()).isTrue();
            }
            assertThat(dev.mq.test.OfficialConsumer.readAll(mq.nameServerAddress(), "AutoCreated", 20,
                    Duration.ofSeconds(60))).hasSize(20);
        }
    }

    @Test
    void nameServerThatIsDownFailsTheSendWithinItsDeadline() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (MQClientInstance client = MQClientInstance.builder().nameServer("127.0.0.1:" + deadPort).build()) {
            client.start();
            Producer producer = client.newProducer(ProducerConfig.builder().group("route-it")
                    .sendTimeout(Duration.ofSeconds(2)).build());
            long start = System.nanoTime();
            assertThatThrownBy(() -> producer.send(Message.builder("AnyTopic").body("x").build()))
                    .isInstanceOfSatisfying(MQException.class, e -> {
                        assertThat(e.reason()).isIn(MQException.Reason.CONNECTION, MQException.Reason.NO_ROUTE);
                        assertThat(e.getMessage()).contains("127.0.0.1:" + deadPort);
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_050));
        }
    }
}
