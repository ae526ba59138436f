package dev.mq.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Message;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.producer.CompressionType;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/**
 * Every compression type our producer offers, read back by Apache's 5.5.0 push consumer and by ours:
 * the same bytes as sent, stored compressed (the record smaller than the body) with the sysFlag type
 * bits Apache's client reads the format from (so a body that was not compressed, or compressed another
 * way, would fail the test). Runs on
 * {@link ConsumerInteropTest}'s 5.5.0 cluster.
 */
@WithEmbeddedRocketMQ(shared = true, brokerProperties = ConsumerInteropContract.SHORT_DELAY_LEVELS)
class CompressionInteropTest {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    private static final int PER_TYPE = 3;

    @Test
    void apachesConsumerAndOursReadEveryCompressionTypeBackIdentical(EmbeddedRocketMQ mq) throws Exception {
        String topic = "InteropCompression";
        mq.createTopic(topic, 2);
        Map<String, byte[]> sent = new LinkedHashMap<>();
        Map<String, Integer> typeBits = new LinkedHashMap<>();
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .instanceName("interop-compression-producers").build()) {
            client.start();
            for (CompressionType type : CompressionType.values()) {
                Producer producer = client.newProducer(ProducerConfig.builder()
                        .group("interop-compression-" + type.name().toLowerCase()).compression(type).compressLevel(3)
                        .build());
                for (int i = 0; i < PER_TYPE; i++) {
                    String seq = type + "-" + i;
                    byte[] body = jsonLike(16 * 1024, seq.hashCode());
                    producer.send(Message.builder(topic).keys(seq).property(ConsumerInteropContract.SEQ, seq)
                            .body(body).build());
                    sent.put(seq, body);
                    typeBits.put(seq, switch (type) {
                        case LZ4 -> 0x100;
                        case ZSTD -> 0x200;
                        case ZLIB -> 0x300;
                    });
                }
                producer.close();
            }
        }

        Map<String, MessageExt> apaches = new ConcurrentHashMap<>();
        Map<String, ReceivedMessage> ours = new ConcurrentHashMap<>();
        DefaultMQPushConsumer apache = Apache.pushConsumer(mq.nameServerAddress(), "interop-compression-apache", topic,
                (messages, context) -> {
                    messages.forEach(m -> apaches.put(m.getUserProperty(ConsumerInteropContract.SEQ), m));
                    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                });
        apache.start();
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .instanceName("interop-compression-consumer").build()) {
            client.start();
            PushConsumer consumer = client.newPushConsumer(ConsumerConfig.builder()
                    .group("interop-compression-ours").subscribe(topic, "*").consumeFrom(ConsumeFrom.FIRST_OFFSET)
                    .build(), m -> {
                        ours.put(String.valueOf(m.property(ConsumerInteropContract.SEQ)), m);
                        return ConsumeResult.SUCCESS;
                    });
            consumer.start();
            assertThat(Deliveries.await(() -> ours.keySet().containsAll(sent.keySet())
                    && apaches.keySet().containsAll(sent.keySet()), DELIVERY_TIMEOUT))
                    .as("ours read %s, Apache's read %s of %s", ours.keySet(), apaches.keySet(), sent.keySet())
                    .isTrue();
            consumer.close();
        } finally {
            apache.shutdown();
        }

        for (Map.Entry<String, byte[]> e : sent.entrySet()) {
            String seq = e.getKey();
            MessageExt reference = apaches.get(seq);
            // Stored compressed: the record is smaller than the body alone. Apache's consumer clears the
            // compressed bit once it has decompressed, and leaves the type bits it read the format from.
            assertThat(reference.getStoreSize()).as("stored size of %s", seq).isLessThan(e.getValue().length);
            assertThat(reference.getSysFlag() & 0x700).as("compression type of %s", seq).isEqualTo(typeBits.get(seq));
            assertThat(reference.getBody()).as("Apache's body of %s", seq).isEqualTo(e.getValue());
            assertThat(ours.get(seq).body()).as("our body of %s", seq).isEqualTo(e.getValue());
        }
    }

    /** A compressible body like a JSON document of orders, about {@code size} bytes, different per seed. */
    static byte[] jsonLike(int size, long seed) {
        Random random = new Random(seed);
        String[] states = {"NEW", "PAID", "PACKED", "SHIPPED", "DELIVERED"};
        StringBuilder json = new StringBuilder("[");
        while (json.length() < size - 120) {
            json.append("{\"orderId\":").append(100_000 + random.nextInt(900_000))
                    .append(",\"customer\":\"c-").append(random.nextInt(10_000))
                    .append("\",\"state\":\"").append(states[random.nextInt(states.length)])
                    .append("\",\"amount\":").append(random.nextInt(100_000) / 100.0)
                    .append(",\"items\":").append(1 + random.nextInt(9)).append("},");
        }
        json.setLength(json.length() - 1);
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }
}
