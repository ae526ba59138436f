package dev.mq.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;

/** Apache's own producer, used only to prove the embedded broker is real. */
final class OfficialProducer implements AutoCloseable {

    private final DefaultMQProducer producer;

    OfficialProducer(String nameServer) throws MQClientException {
        this(nameServer, false);
    }

    /** With {@code tls}, speaks TLS to the NameServer and brokers (trusting any certificate). */
    OfficialProducer(String nameServer, boolean tls) throws MQClientException {
        producer = new DefaultMQProducer("mq-test-producer-" + UUID.randomUUID());
        producer.setUseTLS(tls);
        producer.setNamesrvAddr(nameServer);
        producer.setInstanceName("mq-test-producer-" + UUID.randomUUID());
        producer.start();
    }

    SendResult send(String topic, String body) throws Exception {
        return producer.send(new Message(topic, "smoke", body.getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> bodies(String prefix, int count) {
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(prefix + "-" + i + "-" + UUID.randomUUID());
        }
        return bodies;
    }

    @Override
    public void close() {
        producer.shutdown();
    }
}
