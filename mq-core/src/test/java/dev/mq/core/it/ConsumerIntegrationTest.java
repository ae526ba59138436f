package dev.mq.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.SendResult;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.ConsumerState;
import dev.mq.core.consumer.MessageListener;
import dev.mq.core.consumer.MessageSelector;
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

/**
 * Our push consumer against a real 5.x broker, fed by our producer; and, on the same cluster,
 * request-reply between our requester and responder ({@link RequestReplyIntegrationContract}).
 */
@WithEmbeddedRocketMQ(brokerProperties = {"messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s",
        "enablePropertyFilter=true"})
class ConsumerIntegrationTest implements RequestReplyIntegrationContract {

    static final Duration WAIT = Duration.ofSeconds(60);

    static MQClientInstance client;
    static Producer producer;

    @BeforeAll
    static void start(EmbeddedRocketMQ mq) {
        client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .routeRefreshInterval(Duration.ofSeconds(2)).build();
        client.start();
        producer = client.newProducer(ProducerConfig.builder().group("it-consumer-producer")
                .sendTimeout(Duration.ofSeconds(15)).build()); // a loaded machine may be slow to the first route
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Override
    public MQClientInstance responderClient() {
        return client;
    }

    @Override
    public Producer replier() {
        return producer;
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

    /** Whether a new group's offset query answers 0 on a young queue (4.9 always does; 5.x is asked not to). */
    boolean newGroupsStartAtZero() {
        return false;
    }

    @Test
    void tagExpressionFiltersAndSkippedMessagesStillAdvanceTheOffset(EmbeddedRocketMQ mq) {
        String topic = "TagTopic";
        mq.createTopic(topic, 2);
        for (int i = 0; i < 30; i++) {
            producer.send(message(topic, i)); // tags tag-0, tag-1, tag-2 in turn
        }
        Collector collector = new Collector();
        try (PushConsumer consumer = consumer(ConsumerConfig.builder().group("tag-group")
                .subscribe(topic, "tag-0 || tag-2").consumeFrom(ConsumeFrom.FIRST_OFFSET), collector)) {
            consumer.start();
            collector.awaitCount(20);
            awaitTrue(() -> consumer.stats().queues().entrySet().stream()
                            .filter(e -> e.getKey().topic().equals(topic)).count() == 2
                            && consumer.stats().queues().entrySet().stream()
                            .filter(e -> e.getKey().topic().equals(topic))
                            .allMatch(e -> e.getValue().committedOffset() == e.getValue().brokerMaxOffset()),
                    "every queue's committable offset reached its end, past the filtered messages");
            settle();
            assertThat(collector.received).hasSize(20);
            assertThat(collector.received).extracting(ReceivedMessage::tags).containsOnly("tag-0", "tag-2");
        }
    }

    @Test
    void anSql92SelectorIsEvaluatedByTheBroker(EmbeddedRocketMQ mq) {
        String topic = "SqlTopic";
        mq.createTopic(topic, 2);
        for (int i = 0; i < 30; i++) {
            producer.send(message(topic, i)); // property index = i, tenant = acme, tags tag-0..tag-2
        }
        Collector collector = new Collector();
        try (PushConsumer consumer = consumer(ConsumerConfig.builder().group("sql-group")
                .subscribe(topic, MessageSelector.sql92("index >= 20 AND tenant = 'acme' AND TAGS <> 'tag-1'"))
                .consumeFrom(ConsumeFrom.FIRST_OFFSET), collector)) {
            consumer.start();
            collector.awaitCount(7); // 20..29 without the three whose tag is tag-1 (22, 25, 28)
            awaitTrue(() -> consumer.stats().queues().entrySet().stream()
                            .filter(e -> e.getKey().topic().equals(topic)).count() == 2
                            && consumer.stats().queues().entrySet().stream()
                            .filter(e -> e.getKey().topic().equals(topic))
                            .allMatch(e -> e.getValue().committedOffset() == e.getValue().brokerMaxOffset()),
                    "every queue's committable offset reached its end, past the messages the broker filtered out");
            settle();
            assertThat(collector.received).extracting(m -> Integer.parseInt(m.properties().get("index")))
                    .containsExactlyInAnyOrder(20, 21, 23, 24, 26, 27, 29);
        }
    }

    @Test
    void anSql92ExpressionTheBrokerCannotCompileFailsTheStart(EmbeddedRocketMQ mq) {
        String topic = "BadSqlTopic";
        mq.createTopic(topic, 2);
        String expression = "index >>= 20 AND";
        assertStartRefused(consumer(ConsumerConfig.builder().group("bad-sql-group")
                .subscribe(topic, MessageSelector.sql92(expression)), new Collector()), topic, expression,
                mq.brokerName(0), "SUBSCRIPTION_PARSE_FAILED");
    }

    /**
     * Starting {@code consumer} fails with a VALIDATION error naming the topic, the expression, the
     * broker and {@code reason}, and leaves it as it was; it is closed after.
     */
    static void assertStartRefused(PushConsumer consumer, String topic, String expression, String broker,
                                   String reason) {
        try {
            assertThatThrownBy(consumer::start).isInstanceOfSatisfying(MQException.class,
                            e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION))
                    .hasMessageContaining(topic).hasMessageContaining(expression).hasMessageContaining(broker)
                    .hasMessageContaining(reason);
            assertThat(consumer.state()).isEqualTo(ConsumerState.CREATED);
            assertThat(consumer.assignedQueues()).isEmpty();
        } finally {
            consumer.close();
        }
    }

    @Test
    void stopAndRestartThenASecondMemberConsumeEverythingExactlyOnce(EmbeddedRocketMQ mq) {
        String topic = "RestartTopic";
        String group = "restart-group";
        mq.createTopic(topic, 4);
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        MessageListener listener = m -> {
            seen.add(m.messageId());
            return ConsumeResult.SUCCESS;
        };
        ConsumerConfig.Builder config = ConsumerConfig.builder().group(group).subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.FIRST_OFFSET).commitInterval(Duration.ofMillis(500));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add(producer.send(message(topic, i)).messageId());
        }
        PushConsumer first = consumer(config, listener);
        first.start();
        awaitTrue(() -> seen.size() >= 100, "the first 100 consumed");
        first.stop();
        assertThat(first.state()).isEqualTo(dev.mq.core.consumer.ConsumerState.STOPPED);
        for (int i = 100; i < 200; i++) {
            sent.add(producer.send(message(topic, i)).messageId());
        }
        first.start();
        awaitTrue(() -> seen.size() >= 200, "the next 100 consumed after the restart");
        // The periodic commit stores what the restarted member finished before a second member joins.
        awaitTrue(() -> first.stats().queues().values().stream()
                .allMatch(q -> q.cachedMessages() == 0 && q.committedOffset() == q.brokerMaxOffset()
                        || q.brokerMaxOffset() < 0), "everything finished");
        settle();
        try (MQClientInstance other = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .routeRefreshInterval(Duration.ofSeconds(2)).build()) {
            other.start();
            PushConsumer second = other.newPushConsumer(config.build(), listener);
            ((DefaultPushConsumer) second).rebalanceInterval(Duration.ofSeconds(2));
            second.start();
            awaitTrue(() -> topicQueues(first, topic) == 2 && topicQueues(second, topic) == 2,
                    "the two members split the four queues");
            for (int i = 200; i < 300; i++) {
                sent.add(producer.send(message(topic, i)).messageId());
            }
            awaitTrue(() -> seen.size() >= 300, "the last 100 consumed by the two members");
            settle();
            second.close();
        } finally {
            first.close();
        }
        assertThat(seen).hasSize(300).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
    }

    static long topicQueues(PushConsumer consumer, String topic) {
        return consumer.assignedQueues().stream().filter(q -> q.topic().equals(topic)).count();
    }

    @Test
    void aMessageFailingTwiceIsDeliveredThreeTimesWithGrowingReconsumeTimes(EmbeddedRocketMQ mq) {
        String topic = "RetryTopic";
        mq.createTopic(topic, 2);
        String id = producer.send(Message.builder(topic).tags("t").body("fails twice").build()).messageId();
        ConcurrentLinkedQueue<ReceivedMessage> deliveries = new ConcurrentLinkedQueue<>();
        try (PushConsumer consumer = consumer(ConsumerConfig.builder().group("retry-group").subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.FIRST_OFFSET), m -> {
                    deliveries.add(m);
                    if (m.reconsumeTimes() < 2) {
                        throw new IllegalStateException("failing on purpose");
                    }
                    return ConsumeResult.SUCCESS;
                })) {
            consumer.start();
            awaitTrue(() -> deliveries.size() >= 3, "three deliveries");
            settle();
        }
        assertThat(deliveries).extracting(ReceivedMessage::reconsumeTimes).containsExactly(0, 1, 2);
        assertThat(deliveries).extracting(ReceivedMessage::messageId).containsOnly(id);
        assertThat(deliveries).extracting(ReceivedMessage::topic).containsOnly(topic);
        assertThat(deliveries).extracting(ReceivedMessage::tags).containsOnly("t");
        assertThat(new ArrayList<>(deliveries).get(2).queue().topic()).isEqualTo("%RETRY%retry-group");
    }

    @Test
    void aMessageAlwaysFailingEndsInTheDeadLetterTopic(EmbeddedRocketMQ mq) {
        String topic = "AlwaysFailTopic";
        mq.createTopic(topic, 1);
        String id = producer.send(Message.builder(topic).body("always fails").build()).messageId();
        ConcurrentLinkedQueue<Integer> deliveries = new ConcurrentLinkedQueue<>();
        try (PushConsumer consumer = consumer(ConsumerConfig.builder().group("dlq-group").subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.FIRST_OFFSET).maxReconsumeTimes(1), m -> {
                    deliveries.add(m.reconsumeTimes());
                    return ConsumeResult.RETRY;
                })) {
            consumer.start();
            awaitTrue(() -> deliveries.size() >= 2, "two deliveries");
            List<dev.mq.test.StoredMessage> dead = readDeadLetters(mq, "%DLQ%dlq-group");
            assertThat(dead).extracting(dev.mq.test.StoredMessage::getMsgId).containsExactly(id);
            assertThat(dead.get(0).getBody()).isEqualTo("always fails".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(deliveries).containsExactly(0, 1);
    }

    /** Reads the one message of a dead-letter topic, which exists only once the broker created it for the first one. */
    static List<dev.mq.test.StoredMessage> readDeadLetters(EmbeddedRocketMQ mq, String dlq) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return dev.mq.test.OfficialConsumer.readAll(mq.nameServerAddress(), dlq, 1, WAIT);
            } catch (IllegalStateException e) { // no route yet
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                settle();
            }
        }
    }

    @Test
    void deadLetterGoesToTheDeadLetterTopicAtOnce(EmbeddedRocketMQ mq) {
        String topic = "DeadLetterTopic";
        mq.createTopic(topic, 1);
        String id = producer.send(Message.builder(topic).body("poison").build()).messageId();
        ConcurrentLinkedQueue<Integer> deliveries = new ConcurrentLinkedQueue<>();
        try (PushConsumer consumer = consumer(ConsumerConfig.builder().group("poison-group").subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.FIRST_OFFSET), m -> {
                    deliveries.add(m.reconsumeTimes());
                    return ConsumeResult.DEAD_LETTER;
                })) {
            consumer.start();
            awaitTrue(() -> deliveries.size() >= 1, "one delivery");
            List<dev.mq.test.StoredMessage> dead = readDeadLetters(mq, "%DLQ%poison-group");
            assertThat(dead).extracting(dev.mq.test.StoredMessage::getMsgId).containsExactly(id);
            settle();
        }
        assertThat(deliveries).containsExactly(0);
    }

    @Test
    void aSlowHandlerOverABacklogKeepsTheCacheUnderTheCaps(EmbeddedRocketMQ mq) throws Exception {
        String topic = "BacklogTopic";
        mq.createTopic(topic, 4);
        byte[] body = new byte[4 * 1024];
        List<java.util.concurrent.CompletableFuture<SendResult>> sends = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            sends.add(producer.sendAsync(Message.builder(topic).body(body).build()));
        }
        sends.forEach(java.util.concurrent.CompletableFuture::join);
        int maxMessages = 100;
        long maxBytes = 1024 * 1024;
        java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
        try (PushConsumer consumer = consumer(ConsumerConfig.builder().group("backlog-group").subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.FIRST_OFFSET).concurrency(2).pullBatchSize(16).maxCachedMessages(maxMessages)
                .maxCachedBytes(maxBytes), m -> {
                    Thread.sleep(5);
                    handled.incrementAndGet();
                    return ConsumeResult.SUCCESS;
                })) {
            consumer.start();
            long maxSeenMessages = 0;
            long maxSeenBytes = 0;
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < until) {
                var stats = consumer.stats();
                assertThat(stats.cachedMessages()).isLessThanOrEqualTo(maxMessages);
                assertThat(stats.cachedBytes()).isLessThanOrEqualTo(maxBytes);
                assertThat(stats.inFlightHandlers()).isLessThanOrEqualTo(2);
                maxSeenMessages = Math.max(maxSeenMessages, stats.cachedMessages());
                maxSeenBytes = Math.max(maxSeenBytes, stats.cachedBytes());
                Thread.sleep(5);
            }
            assertThat(maxSeenMessages).as("the backlog filled the cache up to its cap").isGreaterThan(maxMessages / 2);
            assertThat(handled.get()).as("a slow handler left a backlog").isLessThan(2_000);
        }
    }

    /**
     * The byte cap alone holds the cache (the message cap is far away): 64 KiB bodies, a backlog 16
     * times the 1 MiB cap, a slow handler. A pull leaves only while the cache is under the byte cap,
     * so the cache may pass it by at most the answers of the pulls under way: one per queue, each of
     * at most {@code pullBatchSize} messages.
     */
    @Test
    void aSlowHandlerOverABacklogOfLargeBodiesKeepsTheCachedBytesAtTheByteCap(EmbeddedRocketMQ mq) throws Exception {
        String topic = "LargeBacklogTopic";
        int queues = 4;
        mq.createTopic(topic, queues);
        int bodyBytes = 64 * 1024;
        int backlog = 256; // 16 MiB
        List<java.util.concurrent.CompletableFuture<SendResult>> sends = new ArrayList<>();
        for (int i = 0; i < backlog; i++) {
            sends.add(producer.sendAsync(Message.builder(topic).body(new byte[bodyBytes]).build()));
        }
        sends.forEach(java.util.concurrent.CompletableFuture::join);
        long maxBytes = 1024 * 1024;
        int pullBatch = 4;
        long bound = maxBytes + (long) queues * pullBatch * bodyBytes; // 2 MiB
        java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
        try (PushConsumer consumer = consumer(ConsumerConfig.builder().group("large-backlog-group").subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.FIRST_OFFSET).concurrency(2).pullBatchSize(pullBatch).maxCachedBytes(maxBytes),
                m -> {
                    Thread.sleep(50); // 2 threads: 40 messages/s, a quarter of the backlog in the 4 s watched
                    handled.incrementAndGet();
                    return ConsumeResult.SUCCESS;
                })) {
            consumer.start();
            long maxSeenBytes = 0;
            long maxSeenMessages = 0;
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < until) {
                var stats = consumer.stats();
                assertThat(stats.cachedBytes()).isLessThanOrEqualTo(bound);
                maxSeenBytes = Math.max(maxSeenBytes, stats.cachedBytes());
                maxSeenMessages = Math.max(maxSeenMessages, stats.cachedMessages());
                Thread.sleep(5);
            }
            assertThat(maxSeenBytes).as("the backlog filled the cache up to its byte cap").isGreaterThanOrEqualTo(maxBytes);
            assertThat(maxSeenMessages).as("so the message cap (10,000) never mattered").isLessThanOrEqualTo(bound / bodyBytes);
            assertThat(handled.get()).as("a slow handler left a backlog").isLessThan(backlog);
        }
    }

    @Test
    void consumeFromLastOffsetSkipsTheBacklogOfANewGroup(EmbeddedRocketMQ mq) {
        String topic = "LastTopic";
        mq.createTopic(topic, 2);
        for (int i = 0; i < 10; i++) {
            producer.send(message(topic, i));
        }
        Collector collector = new Collector();
        try (PushConsumer consumer = consumer(ConsumerConfig.builder().group("last-group").subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.LAST_OFFSET), collector)) {
            consumer.start();
            awaitTrue(() -> topicQueues(consumer, topic) == 2, "both queues owned");
            List<String> later = new ArrayList<>();
            for (int i = 10; i < 15; i++) {
                later.add(producer.send(message(topic, i)).messageId());
            }
            int expected = newGroupsStartAtZero() ? 15 : 5;
            collector.awaitCount(expected);
            settle();
            assertThat(collector.received).hasSize(expected);
            assertThat(collector.received).extracting(ReceivedMessage::messageId).containsAll(later);
        }
    }

    @Test
    void consumeFromTimestampStartsAtTheFirstMessageStoredSince(EmbeddedRocketMQ mq) throws Exception {
        String topic = "TimestampTopic";
        mq.createTopic(topic, 2);
        for (int i = 0; i < 10; i++) {
            producer.send(message(topic, i));
        }
        Thread.sleep(50); // store times are in milliseconds: the boundary lies strictly between the two groups
        java.time.Instant boundary = java.time.Instant.now();
        Thread.sleep(50);
        List<String> later = new ArrayList<>();
        for (int i = 10; i < 15; i++) {
            later.add(producer.send(message(topic, i)).messageId());
        }
        Collector collector = new Collector();
        try (PushConsumer consumer = consumer(ConsumerConfig.builder().group("timestamp-group").subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.timestamp(boundary)), collector)) {
            consumer.start();
            int expected = newGroupsStartAtZero() ? 15 : 5;
            collector.awaitCount(expected);
            settle();
            assertThat(collector.received).hasSize(expected);
            assertThat(collector.received).extracting(ReceivedMessage::messageId).containsAll(later);
        }
    }

    @Test
    void aBatchListenersPartialFailureRedeliversOnlyTheFailedMessages(EmbeddedRocketMQ mq) {
        String topic = "BatchListenTopic";
        mq.createTopic(topic, 1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(producer.send(message(topic, i)).messageId());
        }
        ConcurrentLinkedQueue<ReceivedMessage> deliveries = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger largestBatch = new java.util.concurrent.atomic.AtomicInteger();
        PushConsumer consumer = client.newPushConsumer(ConsumerConfig.builder().group("batch-listen-group")
                .subscribe(topic, "*").consumeFrom(ConsumeFrom.FIRST_OFFSET).batchSize(6).build(),
                dev.mq.core.consumer.ConsumerListener.batch(messages -> {
                    largestBatch.accumulateAndGet(messages.size(), Math::max);
                    deliveries.addAll(messages);
                    List<Integer> failed = new ArrayList<>();
                    for (int i = 0; i < messages.size(); i++) {
                        ReceivedMessage m = messages.get(i);
                        if (m.reconsumeTimes() == 0 && Integer.parseInt(m.property("index")) % 4 == 0) {
                            failed.add(i);
                        }
                    }
                    return dev.mq.core.consumer.BatchResult.retry(failed);
                }));
        try (consumer) {
            consumer.start();
            awaitTrue(() -> deliveries.size() >= 15, "12 deliveries and 3 re-deliveries");
            settle();
        }
        assertThat(deliveries).hasSize(15);
        Map<String, Long> perId = new HashMap<>();
        deliveries.forEach(m -> perId.merge(m.messageId(), 1L, Long::sum));
        for (ReceivedMessage m : deliveries) {
            int index = Integer.parseInt(m.property("index"));
            assertThat(perId.get(m.messageId())).as("deliveries of message %d", index).isEqualTo(index % 4 == 0 ? 2 : 1);
        }
        assertThat(perId.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(largestBatch.get()).isGreaterThan(1).isLessThanOrEqualTo(6);
    }

    @Test
    void anAsyncListenerCompletesLaterOnAnotherThreadWithBoundedOutstandingStages(EmbeddedRocketMQ mq) {
        String topic = "AsyncListenTopic";
        mq.createTopic(topic, 2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(producer.send(message(topic, i)).messageId());
        }
        ConcurrentLinkedQueue<String> done = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> completionThreads = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger outstanding = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger maxOutstanding = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger before = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger after = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Executor later = java.util.concurrent.CompletableFuture.delayedExecutor(20,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        PushConsumer consumer = client.newPushConsumer(ConsumerConfig.builder().group("async-listen-group")
                .subscribe(topic, "*").consumeFrom(ConsumeFrom.FIRST_OFFSET).concurrency(3)
                .hook(new dev.mq.core.consumer.ConsumeHook() {
                    @Override
                    public void beforeConsume(dev.mq.core.consumer.ConsumeContext context) {
                        before.incrementAndGet();
                    }

                    @Override
                    public void afterConsume(dev.mq.core.consumer.ConsumeContext context) {
                        assertThat(context.result()).isEqualTo(ConsumeResult.SUCCESS);
                        after.incrementAndGet();
                    }
                }).build(),
                dev.mq.core.consumer.ConsumerListener.async(m -> {
                    maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
                    return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        completionThreads.add(Thread.currentThread().getName());
                        outstanding.decrementAndGet();
                        done.add(m.messageId());
                        return ConsumeResult.SUCCESS;
                    }, later);
                }));
        try (consumer) {
            consumer.start();
            awaitTrue(() -> done.size() >= 60, "60 completed");
            settle();
        }
        assertThat(done).hasSize(60).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(maxOutstanding.get()).isLessThanOrEqualTo(3);
        assertThat(completionThreads).noneMatch(name -> name.startsWith("mq-consume-"));
        assertThat(before.get()).isEqualTo(60);
        assertThat(after.get()).isEqualTo(60);
    }

    @Test
    void aNamespacedConsumerSeesNamesWithoutItsNamespaceAndRetriesInItsOwnRetryTopic(EmbeddedRocketMQ mq) {
        mq.createTopic("staging%NsConsumeTopic", 1);
        ConcurrentLinkedQueue<ReceivedMessage> deliveries = new ConcurrentLinkedQueue<>();
        try (MQClientInstance namespaced = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .namespace("staging").routeRefreshInterval(Duration.ofSeconds(2)).build()) {
            namespaced.start();
            Producer p = namespaced.newProducer(ProducerConfig.builder().group("ns-producer")
                    .sendTimeout(Duration.ofSeconds(15)).build());
            String id = p.send(Message.builder("NsConsumeTopic").tags("x").body("namespaced").build()).messageId();
            PushConsumer consumer = namespaced.newPushConsumer(ConsumerConfig.builder().group("ns-group")
                    .subscribe("NsConsumeTopic", "x").consumeFrom(ConsumeFrom.FIRST_OFFSET).build(), m -> {
                        deliveries.add(m);
                        return m.reconsumeTimes() == 0 ? ConsumeResult.RETRY : ConsumeResult.SUCCESS;
                    });
            ((DefaultPushConsumer) consumer).rebalanceInterval(Duration.ofSeconds(2));
            consumer.start();
            awaitTrue(() -> deliveries.size() >= 2, "a delivery and its retry");
            assertThat(consumer.assignedQueues()).extracting(dev.mq.core.MessageQueue::topic)
                    .contains("NsConsumeTopic", "%RETRY%ns-group");
            settle();
            assertThat(deliveries).extracting(ReceivedMessage::messageId).containsExactly(id, id);
            assertThat(deliveries).extracting(ReceivedMessage::topic).containsOnly("NsConsumeTopic");
            assertThat(new ArrayList<>(deliveries).get(1).queue().topic()).isEqualTo("%RETRY%ns-group");
        }
        // The broker holds the group's retry topic under the official client's name for it.
        List<dev.mq.test.StoredMessage> retried = dev.mq.test.OfficialConsumer.readAll(mq.nameServerAddress(),
                "%RETRY%staging%ns-group", 1, WAIT);
        assertThat(retried).hasSize(1);
    }

    @Test
    void aPausedConsumerStopsPullingKeepsItsQueuesAndResumesWhereItWas(EmbeddedRocketMQ mq) {
        String topic = "PauseTopic";
        mq.createTopic(topic, 1);
        Collector collector = new Collector();
        // Room for two pulls: the group's retry queue has a pull of its own, which an idle broker holds up to
        // the suspend time (15 s) with its room reserved; with room for one the topic's queue would wait it out.
        try (PushConsumer consumer = consumer(ConsumerConfig.builder().group("pause-group").subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.FIRST_OFFSET).pullBatchSize(4).maxCachedMessages(8), collector)) {
            consumer.start();
            awaitTrue(() -> topicQueues(consumer, topic) == 1, "the queue owned");
            consumer.pause();
            assertThat(consumer.isPaused()).isTrue();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ids.add(producer.send(message(topic, i)).messageId());
            }
            settle();
            // The pull already held by the broker may still answer (at most one pull's worth); none follows.
            assertThat(collector.received.size()).isLessThanOrEqualTo(4);
            assertThat(consumer.assignedQueues()).extracting(dev.mq.core.MessageQueue::topic).contains(topic);
            assertThat(consumer.stats().paused()).isTrue();
            consumer.resume();
            collector.awaitCount(40);
            settle();
            assertThat(collector.received).extracting(ReceivedMessage::messageId)
                    .containsExactlyInAnyOrderElementsOf(ids);
        }
    }
}
