package dev.mq.spring.autoconfigure.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.SendResult;
import dev.mq.spring.autoconfigure.MQConnectionDetails;
import dev.mq.spring.autoconfigure.MQTemplate;
import dev.mq.spring.autoconfigure.e2e.E2EApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@code @ServiceConnection} with the real RocketMQ image. Needs Docker and is skipped without it;
 * the same behaviour is proven without Docker against the embedded broker (StarterEndToEndTest).
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(classes = E2EApplication.class, properties = "mq.producer.group=container-producer")
class RocketMQContainerTest {

    @Container
    @ServiceConnection
    static RocketMQContainer rocketmq = new RocketMQContainer();

    @Autowired
    MQConnectionDetails connection;

    @Autowired
    MQTemplate template;

    @Test
    void serviceConnectionSuppliesTheNameServerAndSendsWork() {
        assertThat(connection.getNameServer()).isEqualTo(rocketmq.getNameServerAddress());
        SendResult result = template.syncSend("ContainerTopic", "hello");
        assertThat(result.isOk()).isTrue();
    }
}
