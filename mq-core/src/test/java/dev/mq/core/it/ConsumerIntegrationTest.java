package dev.mq.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Message;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.SendResult;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.MessageListener;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.internal.consume.DefaultPushConsumer;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our push consumer against a real 5.x broker, fed by our producer. */
@WithEmbeddedRocketMQ(brokerProperties = {"messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s"})
class ConsumerIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    static MQClientInstance client;
    static Producer producer;

    @BeforeAll
    static void start(EmbeddedRocketMQ mq) {
        client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .routeRefreshInterval(Duration.ofSeconds(2)).build();
        client.start();
        producer = client.newProducer(ProducerConfig.builder().group("it-consumer-producer").build());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    /** Collects what a listener got. */
    static final class Collector implements MessageListener {
        final ConcurrentLinkedQueue<ReceivedMessage> received = new ConcurrentLinkedQueue<>();

        @Override
        public ConsumeResult consume(ReceivedMessage message) {
            received.add(message);
            return ConsumeResult.SUCCESS;
        }

        List<ReceivedMessage> awaitCount(int n) {
            awaitTrue(() -> received.size() >= n, "received " + n + " messages (got " + received.size() + ")");
            return new ArrayList<>(received);
        }
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Waits a little longer: what arrives meanwhile is a duplicate or an extra. */
    static void settle() {
        try {
            Thread.sleep(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static PushConsumer consumer(ConsumerConfig.Builder config, MessageListener listener) {
        PushConsumer consumer = client.newPushConsumer(config.build(), listener);
        ((DefaultPushConsumer) consumer).rebalanceInterval(Duration.ofSeconds(2));
        return consumer;
    }

    static Message message(String topic, int i) {
        return Message.builder(topic).tags("tag-" + (i % 3)).keys("key-" + i, "k2-" + i)
                .body("body-" + i).property("tenant", "acme").property("index", Integer.toString(i)).build();
    }

    @Test
    void readsEveryMessageWithIdenticalContentAndIds(EmbeddedRocketMQ mq) {
        String topic = "ContentTopic";
        mq.createTopic(topic, 4);
        Map<String, Message> sent = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            Message m = message(topic, i);
            sent.put(producer.send(m).messageId(), m);
        }
        StringBuilder text = new StringBuilder();
        while (text.length() < 64 * 1024) {
            text.append("a compressible line of text number ").append(text.length()).append('\n');
        }
        Message big = Message.builder(topic).body(text.substring(0, 64 * 1024).getBytes(StandardCharsets.UTF_8)).build();
        sent.put(producer.send(big).messageId(), big);
        List<Message> batch = new ArrayList<>();
        for (int i = 100; i < 110; i++) {
            batch.add(message(topic, i));
        }
        SendResult batchResult = producer.send(batch);
        for (int i = 0; i < batch.size(); i++) {
            sent.put(batchResult.messageIds().get(i), batch.get(i));
        }
        Message delayed = Message.builder(topic).body("delayed").delayLevel(1).build();
        sent.put(producer.send(delayed).messageId(), delayed);

        Collector collector = new Collector();
        try (PushConsumer consumer = consumer(ConsumerConfig.builder().group("content-group")
                .subscribe(topic, "*").consumeFrom(ConsumeFrom.FIRST_OFFSET), collector)) {
            consumer.start();
            List<ReceivedMessage> got = collector.awaitCount(sent.size());
            settle();
            assertThat(collector.received).hasSize(sent.size());
            for (ReceivedMessage r : got) {
                Message m = sent.get(r.messageId());
                assertThat(m).as("received %s was sent", r.messageId()).isNotNull();
                assertThat(r.topic()).isEqualTo(topic);
                assertThat(r.queue().topic()).isEqualTo(topic);
                assertThat(r.body()).isEqualTo(m.body());
                assertThat(r.tags()).isEqualTo(m.tags());
                assertThat(r.keys()).isEqualTo(m.keys());
                assertThat(r.properties()).containsAllEntriesOf(m.properties());
                assertThat(r.reconsumeTimes()).isZero();
                assertThat(r.offsetMessageId()).isNotNull();
            }
        }
    }
}
