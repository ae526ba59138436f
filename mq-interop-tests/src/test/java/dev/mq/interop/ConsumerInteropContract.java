package dev.mq.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.ReceivedMessage;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.test.EmbeddedRocketMQ;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientExt;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/**
 * Our push consumer among Apache RocketMQ's own clients, on a real broker: Apache's producer writes
 * and ours reads exactly what Apache's consumer reads; ours and Apache's push consumer share one
 * group; a message ours gives up on is read back from the dead-letter topic by Apache's consumer.
 * Each release line runs it in a subclass with its own cluster, whose delay levels are all one
 * second so that delayed messages and retries do not stretch the suite. Request-reply with Apache's
 * client, both ways ({@link RequestReplyInteropContract}), runs on the same clusters.
 */
abstract class ConsumerInteropContract implements RequestReplyInteropContract {

    /** Every delay level one second: a delayed message and each retry wait 1 s instead of 1 s..2 h. */
    static final String SHORT_DELAY_LEVELS = "messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s";
    static final String SEQ = "seq";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    /** After everything arrived: long enough for a duplicate to show up. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    /**
     * Whether the broker stores each message of a batch under its own {@code UNIQ_KEY}. Brokers up to
     * 5.3.3 append the batch-level properties — and Apache's 5.x producer puts a batch-level
     * {@code UNIQ_KEY} there — to every record, so on 4.9.7 every message of a batch carries the
     * batch's id, for Apache's consumer as for ours (apache/rocketmq #9416).
     */
    abstract boolean brokerKeepsBatchIds();

    /** What Apache's producer sent, by the {@value #SEQ} property each message carries. */
    private record Sent(Message message, String messageId, String offsetMessageId) {
    }

    @Test
    void ourConsumerReadsWhatApachesProducerWroteExactlyAsApachesConsumerReadsIt(EmbeddedRocketMQ mq) throws Exception {
        String topic = "InteropContent";
        mq.createTopic(topic, 4);
        Map<String, Sent> sent = new LinkedHashMap<>();
        DefaultMQProducer producer = Apache.producer(mq.nameServerAddress(), "interop-content-producer");
        try {
            for (int i = 0; i < 20; i++) {
                Message m = new Message(topic, i % 2 == 0 ? "TagA" : "TagB", "single-" + i,
                        ("single body " + i).getBytes(StandardCharsets.UTF_8));
                m.setKeys(List.of("key-" + i, "alt-" + i));
                m.putUserProperty("tenant", "acme 中文 " + i);
                send(producer, m, "single-" + i, sent);
            }
            for (int i = 0; i < 3; i++) {
                // 64 KiB, above the producer's 4 KiB threshold: stored zlib-compressed
                byte[] body = ("big " + i + " ").repeat(64 * 1024 / 6).getBytes(StandardCharsets.UTF_8);
                Message m = new Message(topic, "Big", "big-" + i, body);
                send(producer, m, "big-" + i, sent);
            }
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Message m = new Message(topic, "Batched", "batch-" + i, ("batch body " + i).getBytes(StandardCharsets.UTF_8));
                m.putUserProperty(SEQ, "batch-" + i);
                m.putUserProperty("position", Integer.toString(i));
                batch.add(m);
            }
            SendResult batchResult = producer.send(batch);
            assertThat(batchResult.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            String[] batchIds = batchResult.getMsgId().split(",");
            String[] batchOffsetIds = batchResult.getOffsetMsgId().split(",");
            assertThat(batchIds).hasSize(10);
            for (int i = 0; i < 10; i++) {
                sent.put("batch-" + i, new Sent(batch.get(i), batchIds[i], batchOffsetIds[i]));
            }
            Message delayed = new Message(topic, "Later", "delayed", "delayed body".getBytes(StandardCharsets.UTF_8));
            delayed.setDelayTimeLevel(2);
            send(producer, delayed, "delayed", sent);
        } finally {
            producer.shutdown();
        }

        Map<String, List<ReceivedMessage>> ours = new ConcurrentHashMap<>();
        Map<String, List<MessageExt>> apaches = new ConcurrentHashMap<>();
        DefaultMQPushConsumer apache = Apache.pushConsumer(mq.nameServerAddress(), "interop-content-apache", topic,
                (messages, context) -> {
                    messages.forEach(m -> apaches.computeIfAbsent(m.getUserProperty(SEQ),
                            k -> new CopyOnWriteArrayList<>()).add(m));
                    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                });
        apache.start();
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .instanceName("interop-content").build()) {
            client.start();
            PushConsumer consumer = client.newPushConsumer(ConsumerConfig.builder()
                    .group("interop-content-ours").subscribe(topic, "*").consumeFrom(ConsumeFrom.FIRST_OFFSET).build(),
                    m -> {
                        ours.computeIfAbsent(String.valueOf(m.property(SEQ)), k -> new CopyOnWriteArrayList<>()).add(m);
                        return ConsumeResult.SUCCESS;
                    });
            consumer.start();

            assertThat(Deliveries.await(() -> ours.keySet().containsAll(sent.keySet())
                    && apaches.keySet().containsAll(sent.keySet()), DELIVERY_TIMEOUT))
                    .as("ours read %s, Apache's read %s of %s", ours.keySet(), apaches.keySet(), sent.keySet())
                    .isTrue();
            Thread.sleep(QUIET.toMillis());
            consumer.close();
        } finally {
            apache.shutdown();
        }

        assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        for (Map.Entry<String, Sent> e : sent.entrySet()) {
            String seq = e.getKey();
            Sent expected = e.getValue();
            assertThat(ours.get(seq)).as("deliveries of %s", seq).hasSize(1);
            assertThat(apaches.get(seq)).as("Apache's deliveries of %s", seq).hasSize(1);
            ReceivedMessage m = ours.get(seq).get(0);
            MessageClientExt reference = (MessageClientExt) apaches.get(seq).get(0);

            assertThat(m.topic()).isEqualTo(topic);
            assertThat(m.body()).as("body of %s", seq).isEqualTo(expected.message().getBody());
            assertThat(m.tags()).as("tags of %s", seq).isEqualTo(expected.message().getTags());
            List<String> keys = expected.message().getKeys() == null ? List.of()
                    : List.of(expected.message().getKeys().split(" "));
            assertThat(m.keys()).as("keys of %s", seq).isEqualTo(keys);
            assertThat(m.properties()).as("user properties of %s", seq).isEqualTo(userProperties(expected.message()));
            assertThat(m.messageId()).as("message id of %s", seq).isEqualTo(reference.getMsgId());
            assertThat(m.offsetMessageId()).as("offset message id of %s", seq).isEqualTo(reference.getOffsetMsgId());
            boolean batched = seq.startsWith("batch-");
            if (!batched || brokerKeepsBatchIds()) {
                assertThat(m.messageId()).as("message id of %s", seq).isEqualTo(expected.messageId());
            }
            if (!seq.equals("delayed")) { // a delayed message is stored again when due, at a new offset
                assertThat(m.offsetMessageId()).as("offset message id of %s", seq).isEqualTo(expected.offsetMessageId());
            }
            assertThat(m.queue()).isEqualTo(Apache.ours(new org.apache.rocketmq.common.message.MessageQueue(
                    reference.getTopic(), reference.getBrokerName(), reference.getQueueId())));
            assertThat(m.queueOffset()).isEqualTo(reference.getQueueOffset());
            assertThat(m.reconsumeTimes()).isZero();
            assertThat(m.bornTimestamp()).isEqualTo(reference.getBornTimestamp());
            assertThat(m.storeTimestamp()).isEqualTo(reference.getStoreTimestamp());
            assertThat(m.bornHost()).isEqualTo(hostPort(reference.getBornHost()));
            assertThat(m.storeHost()).isEqualTo(hostPort(reference.getStoreHost()));
        }
        if (!brokerKeepsBatchIds()) {
            Set<String> batchIds = new HashSet<>();
            sent.keySet().stream().filter(s -> s.startsWith("batch-")).forEach(s -> batchIds.add(ours.get(s).get(0).messageId()));
            assertThat(batchIds).as("the quirk this subclass declares").hasSize(1);
        }
    }

    /**
     * Ours and Apache's push consumer in one clustering group on an 8-queue topic: each owns the 4
     * queues the official averagely allocation gives it (the allocations agree, so no queue is read
     * by both or by neither), and every message is consumed exactly once by the group.
     */
    @Test
    void ourConsumerAndApachesShareOneGroupQueueByQueueAndConsumeEachMessageOnce(EmbeddedRocketMQ mq) throws Exception {
        String topic = "InteropMixed";
        String group = "interop-mixed";
        mq.createTopic(topic, 8);
        Deliveries deliveries = new Deliveries();
        Map<String, Set<dev.mq.core.MessageQueue>> queuesSeen = new ConcurrentHashMap<>();
        DefaultMQPushConsumer apache = Apache.pushConsumer(mq.nameServerAddress(), group, topic, (messages, context) -> {
            messages.forEach(m -> {
                deliveries.add("apache", m.getMsgId());
                queuesSeen.computeIfAbsent("apache", k -> ConcurrentHashMap.newKeySet()).add(Apache.ours(
                        new org.apache.rocketmq.common.message.MessageQueue(m.getTopic(), m.getBrokerName(), m.getQueueId())));
            });
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        apache.start();
        DefaultMQProducer producer = Apache.producer(mq.nameServerAddress(), "interop-mixed-producer");
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .instanceName("interop-mixed").build()) {
            client.start();
            PushConsumer ours = client.newPushConsumer(ConsumerConfig.builder().group(group).subscribe(topic, "*")
                    .consumeFrom(ConsumeFrom.FIRST_OFFSET).build(), m -> {
                        deliveries.add("ours", m.messageId());
                        queuesSeen.computeIfAbsent("ours", k -> ConcurrentHashMap.newKeySet()).add(m.queue());
                        return ConsumeResult.SUCCESS;
                    });
            ours.start();

            assertThat(Deliveries.await(() -> topicQueues(ours.assignedQueues(), topic).size() == 4
                    && Apache.ownedQueues(apache, topic).size() == 4, DELIVERY_TIMEOUT))
                    .as("ours owns %s, Apache's owns %s", ours.assignedQueues(), Apache.ownedQueues(apache, topic))
                    .isTrue();
            Set<dev.mq.core.MessageQueue> oursOwns = topicQueues(ours.assignedQueues(), topic);
            Set<dev.mq.core.MessageQueue> apacheOwns = Apache.ownedQueues(apache, topic);
            assertThat(oursOwns).doesNotContainAnyElementsOf(apacheOwns);
            Set<Integer> queueIds = new HashSet<>();
            oursOwns.forEach(q -> queueIds.add(q.queueId()));
            apacheOwns.forEach(q -> queueIds.add(q.queueId()));
            assertThat(queueIds).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);

            List<String> sentIds = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                SendResult r = producer.send(new Message(topic, "T", ("mixed " + i).getBytes(StandardCharsets.UTF_8)));
                assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
                sentIds.add(r.getMsgId());
            }
            assertThat(deliveries.awaitAll(sentIds, DELIVERY_TIMEOUT)).as("every message consumed").isTrue();
            Thread.sleep(QUIET.toMillis());

            assertThat(deliveries.countById()).as("deliveries per message id")
                    .containsOnlyKeys(sentIds).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
            assertThat(deliveries.by("ours")).isNotEmpty();
            assertThat(deliveries.by("apache")).isNotEmpty();
            assertThat(queuesSeen.get("ours")).isSubsetOf(oursOwns);
            assertThat(queuesSeen.get("apache")).isSubsetOf(apacheOwns);
            ours.close();
        } finally {
            producer.shutdown();
            apache.shutdown();
        }
    }

    private static Set<dev.mq.core.MessageQueue> topicQueues(Set<dev.mq.core.MessageQueue> queues, String topic) {
        Set<dev.mq.core.MessageQueue> of = new HashSet<>();
        queues.stream().filter(q -> q.topic().equals(topic)).forEach(of::add);
        return of;
    }

    /**
     * A message our listener always fails goes back to the broker once per delivery and, after
     * {@code maxReconsumeTimes} re-deliveries, to {@code %DLQ%<group>}, where Apache's consumer reads it
     * with its original body, keys and id. The group's other messages are consumed once.
     */
    @Test
    void aMessageOurConsumerAlwaysFailsEndsInTheDeadLetterTopicWhereApachesConsumerReadsIt(EmbeddedRocketMQ mq)
            throws Exception {
        String topic = "InteropDlq";
        String group = "interop-dlq";
        mq.createTopic(topic, 2);
        Map<String, List<Integer>> reconsumeTimes = new ConcurrentHashMap<>();
        DefaultMQProducer producer = Apache.producer(mq.nameServerAddress(), "interop-dlq-producer");
        String poisonId;
        List<String> goodIds = new ArrayList<>();
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .instanceName("interop-dlq").build()) {
            Message poison = new Message(topic, "Poison", "poison-key", "poison body".getBytes(StandardCharsets.UTF_8));
            poison.putUserProperty("origin", "interop");
            SendResult r = producer.send(poison);
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            poisonId = r.getMsgId();
            for (int i = 0; i < 5; i++) {
                goodIds.add(producer.send(new Message(topic, "Good", ("good " + i).getBytes(StandardCharsets.UTF_8)))
                        .getMsgId());
            }

            client.start();
            PushConsumer ours = client.newPushConsumer(ConsumerConfig.builder().group(group).subscribe(topic, "*")
                    .consumeFrom(ConsumeFrom.FIRST_OFFSET).maxReconsumeTimes(2).build(), m -> {
                        reconsumeTimes.computeIfAbsent(m.messageId(), k -> new CopyOnWriteArrayList<>())
                                .add(m.reconsumeTimes());
                        if (m.messageId().equals(poisonId)) {
                            throw new IllegalStateException("always fails");
                        }
                        return ConsumeResult.SUCCESS;
                    });
            ours.start();

            // delivered, then re-delivered twice (1 s delays); the third failure sends it to the DLQ
            assertThat(Deliveries.await(() -> reconsumeTimes.getOrDefault(poisonId, List.of()).size() >= 3,
                    DELIVERY_TIMEOUT)).as("deliveries of the failing message: %s", reconsumeTimes.get(poisonId))
                    .isTrue();

            List<MessageExt> dead = new CopyOnWriteArrayList<>();
            DefaultMQPushConsumer reader = Apache.pushConsumer(mq.nameServerAddress(), "interop-dlq-reader",
                    "%DLQ%" + group, (messages, context) -> {
                        dead.addAll(messages);
                        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                    });
            reader.start();
            try {
                assertThat(Deliveries.await(() -> !dead.isEmpty(), DELIVERY_TIMEOUT)).as("read from the DLQ").isTrue();
                Thread.sleep(QUIET.toMillis());
            } finally {
                reader.shutdown();
            }
            ours.close();

            assertThat(dead).hasSize(1);
            MessageExt d = dead.get(0);
            assertThat(new String(d.getBody(), StandardCharsets.UTF_8)).isEqualTo("poison body");
            assertThat(d.getKeys()).isEqualTo("poison-key");
            assertThat(d.getTags()).isEqualTo("Poison");
            assertThat(d.getUserProperty("origin")).isEqualTo("interop");
            assertThat(d.getMsgId()).isEqualTo(poisonId);
            assertThat(d.getProperty("RETRY_TOPIC")).isEqualTo(topic);
            assertThat(reconsumeTimes.get(poisonId)).containsExactly(0, 1, 2);
            for (String id : goodIds) {
                assertThat(reconsumeTimes.get(id)).as(id).containsExactly(0);
            }
        } finally {
            producer.shutdown();
        }
    }

    private static void send(DefaultMQProducer producer, Message m, String seq, Map<String, Sent> sent) throws Exception {
        m.putUserProperty(SEQ, seq);
        SendResult r = producer.send(m);
        assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        sent.put(seq, new Sent(m, r.getMsgId(), r.getOffsetMsgId()));
    }

    /** The properties the application set: Apache's message keeps them beside its own reserved ones. */
    private static Map<String, String> userProperties(Message m) {
        Map<String, String> user = new LinkedHashMap<>(m.getProperties());
        for (String reserved : List.of("TAGS", "KEYS", "UNIQ_KEY", "WAIT", "DELAY")) {
            user.remove(reserved);
        }
        return user;
    }

    private static String hostPort(SocketAddress address) {
        InetSocketAddress a = (InetSocketAddress) address;
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
