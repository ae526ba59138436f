package dev.mq.core.it;

import static dev.mq.core.it.ConsumerIntegrationTest.assertStartRefused;
import static dev.mq.core.it.ConsumerIntegrationTest.awaitTrue;
import static dev.mq.core.it.ConsumerIntegrationTest.readDeadLetters;
import static dev.mq.core.it.ConsumerIntegrationTest.settle;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.mq.core.Message;
import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.SendResult;
import dev.mq.core.client.ClientResources;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.MessageListener;
import dev.mq.core.consumer.MessageModel;
import dev.mq.core.consumer.MessageSelector;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.internal.client.CallbackExecutor;
import dev.mq.core.internal.consume.DefaultPushConsumer;
import dev.mq.core.internal.protocol.ConsumeDirectlyResult;
import dev.mq.core.internal.protocol.ConsumerAdminHeaders;
import dev.mq.core.internal.protocol.ConsumerOffsetHeaders;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.RequestFields;
import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.core.internal.transport.InboundRequestHandler;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.internal.transport.RemotingConfig;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.core.producer.QueueSelectors;
import dev.mq.core.testing.CapturedLogs;
import dev.mq.test.EmbeddedRocketMQ;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broadcasting, orderly consumption and the broker's requests to a consumer, against a real 5.x
 * broker (server-side offset resets off, so an administrator's reset reaches the members as 4.9
 * sends it). Each member is a client of its own, as in separate processes.
 */
@ConsumerCluster
class ConsumerModesIntegrationTest {

    /** INVOKE_BROKER_TO_RESET_OFFSET: an administrator asks a broker to reset a group's offsets. */
    private static final int INVOKE_BROKER_TO_RESET_OFFSET = 222;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    static MQClientInstance client;
    static Producer producer;
    static CallbackExecutor callbacks;
    static ClientResources resources;
    static RemotingClient admin;

    @BeforeAll
    static void start(EmbeddedRocketMQ mq) {
        client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .routeRefreshInterval(Duration.ofSeconds(2)).build();
        client.start();
        producer = client.newProducer(ProducerConfig.builder().group("modes-it-producer")
                .sendTimeout(Duration.ofSeconds(15)).build());
        callbacks = CallbackExecutor.create(null, "modes-it");
        resources = ClientResources.builder().name("modes-it").build();
        admin = new RemotingClient("modes-it-admin", RemotingConfig.defaults(), InboundRequestHandler.UNSUPPORTED,
                callbacks, resources.eventLoopGroup(), resources.timer(), resources.clock());
    }

    @AfterAll
    static void stop() {
        admin.close();
        resources.close();
        callbacks.close(Duration.ofSeconds(1));
        client.close();
    }

    /** A member's own client (as a separate process would have), under a stable instance name. */
    static MQClientInstance member(EmbeddedRocketMQ mq, String instanceName) {
        MQClientInstance member = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .instanceName(instanceName).routeRefreshInterval(Duration.ofSeconds(2)).build();
        member.start();
        return member;
    }

    static PushConsumer consumer(MQClientInstance on, ConsumerConfig.Builder config, MessageListener listener,
                                 Duration rebalanceInterval) {
        PushConsumer consumer = on.newPushConsumer(config.build(), listener);
        ((DefaultPushConsumer) consumer).rebalanceInterval(rebalanceInterval);
        return consumer;
    }

    static RemotingCommand invoke(String address, int code, RequestFields fields) {
        return admin.invoke(address, OutboundFrame.request(code, writer -> fields.writeFields(writer::field), null),
                TIMEOUT).join();
    }

    // Subscriptions

    @Test
    void anSql92SelectorFailsTheStartOnABrokerWithoutPropertyFiltering(EmbeddedRocketMQ mq) {
        String topic = "UnfilteredSqlTopic";
        mq.createTopic(topic, 2);
        String expression = "region = 'eu'";
        assertStartRefused(consumer(client, ConsumerConfig.builder().group("unfiltered-sql-group")
                .subscribe(topic, MessageSelector.sql92(expression)), m -> ConsumeResult.SUCCESS, Duration.ofSeconds(2)),
                topic, expression, mq.brokerName(0), "does not support consumer to filter message by SQL92");
    }

    @Test
    void membersSubscribingDifferentlyAreWarnedOfOnceAndMembersSubscribingAlikeAreNot(EmbeddedRocketMQ mq) {
        String topic = "ConflictTopic";
        mq.createTopic(topic, 2);
        try (CapturedLogs logs = CapturedLogs.of("dev.mq.core.internal.consume.SubscriptionConflicts", Level.DEBUG);
             MQClientInstance older = member(mq, "conflict-older"); MQClientInstance newer = member(mq, "conflict-newer");
             MQClientInstance alikeA = member(mq, "alike-a"); MQClientInstance alikeB = member(mq, "alike-b")) {
            Duration interval = Duration.ofSeconds(1);
            consumer(older, ConsumerConfig.builder().group("conflict-group").subscribe(topic, "created"),
                    m -> ConsumeResult.SUCCESS, interval).start();
            consumer(alikeA, ConsumerConfig.builder().group("alike-group").subscribe(topic, "created || paid"),
                    m -> ConsumeResult.SUCCESS, interval).start();
            // Started later, so the brokers keep its subscription for the group: the older member notices.
            consumer(newer, ConsumerConfig.builder().group("conflict-group").subscribe(topic, "paid"),
                    m -> ConsumeResult.SUCCESS, interval).start();
            consumer(alikeB, ConsumerConfig.builder().group("alike-group").subscribe(topic, "paid||created"),
                    m -> ConsumeResult.SUCCESS, interval).start();

            awaitTrue(() -> warnings(logs, "conflict-group").size() == 1, "the older member warned");
            String warning = warnings(logs, "conflict-group").get(0);
            assertThat(warning).contains(topic).contains("'created'").contains("'paid'").contains(older.clientId());
            // Checked again and again, the same conflict is not logged again; alike members log nothing.
            awaitTrue(() -> comparisons(logs, older.clientId()) >= 4 && comparisons(logs, alikeA.clientId()) >= 3
                    && comparisons(logs, alikeB.clientId()) >= 3, "more comparisons");
            assertThat(warnings(logs, "conflict-group")).hasSize(1);
            assertThat(warnings(logs, "alike-group")).isEmpty();
        }
    }

    private static List<String> warnings(CapturedLogs logs, String group) {
        return logs.messages(Level.WARN).stream().filter(m -> m.contains("group " + group + ":")).toList();
    }

    private static long comparisons(CapturedLogs logs, String clientId) {
        return logs.messages(Level.DEBUG).stream().filter(m -> m.contains("member " + clientId + " compared")).count();
    }

    // Broadcasting

    @Test
    void broadcastingMembersEachGetEverythingOnceAndARestartResumesFromTheFile(EmbeddedRocketMQ mq,
                                                                              @TempDir Path directory) {
        String topic = "BroadcastTopic";
        String group = "broadcast-group";
        mq.createTopic(topic, 4);
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            sent.add(producer.send(Message.builder(topic).body("b-" + i).property("fail", i == 7 ? "yes" : "no")
                    .build()).messageId());
        }
        ConsumerConfig.Builder config = ConsumerConfig.builder().group(group).subscribe(topic, "*")
                .messageModel(MessageModel.BROADCASTING).consumeFrom(ConsumeFrom.FIRST_OFFSET)
                .offsetStoreDirectory(directory);
        // A RETRY is not retried in broadcasting mode: the failing message is delivered once per member.
        ConcurrentLinkedQueue<String> gotA = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> gotB = new ConcurrentLinkedQueue<>();
        MessageListener a = m -> record(gotA, m);
        MessageListener b = m -> record(gotB, m);
        try (MQClientInstance clientA = member(mq, "broadcast-a"); MQClientInstance clientB = member(mq, "broadcast-b")) {
            PushConsumer consumerA = consumer(clientA, config, a, Duration.ofSeconds(2));
            PushConsumer consumerB = consumer(clientB, config, b, Duration.ofSeconds(2));
            consumerA.start();
            consumerB.start();
            awaitTrue(() -> gotA.size() >= 100 && gotB.size() >= 100, "both members got 100");
            settle();
            assertThat(gotA).hasSize(100).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(gotB).hasSize(100).containsExactlyInAnyOrderElementsOf(sent);

            // The broker knows the group as broadcasting, without a retry subscription.
            RemotingCommand connections = invoke(mq.brokerAddress(0), RequestCode.GET_CONSUMER_CONNECTION_LIST,
                    sink -> sink.accept("consumerGroup", group));
            assertThat(connections.code()).as(connections.remark()).isZero();
            String body = new String(Objects.requireNonNull(connections.body()), StandardCharsets.UTF_8);
            assertThat(body).contains("\"messageModel\":\"BROADCASTING\"").contains(topic).doesNotContain("%RETRY%");
            // Its progress stays with the members: pulls carry no commit offset for the group (a 4.9 broker
            // would store one as the group's offset; 5.x keeps a broadcasting group's apart).
            for (int q = 0; q < 4; q++) {
                RemotingCommand stored = invoke(mq.brokerAddress(0), RequestCode.QUERY_CONSUMER_OFFSET,
                        new ConsumerOffsetHeaders.Query(group, topic, q, false, mq.brokerName(0)));
                if (stored.code() == 0) { // a 4.9 broker answers 0 where it has no offset for a young queue
                    assertThat(stored.field(ConsumerOffsetHeaders.OFFSET)).isEqualTo("0");
                } else {
                    assertThat(stored.code()).isEqualTo(ResponseCode.QUERY_NOT_FOUND);
                }
            }

            consumerA.close(); // writes its offsets to its file
            for (int i = 100; i < 150; i++) {
                sent.add(producer.send(Message.builder(topic).body("b-" + i).build()).messageId());
            }
            awaitTrue(() -> gotB.size() >= 150, "the remaining member got the new ones");
        }
        assertThat(LocalFile.of(directory, "broadcast-a", group)).exists();
        // The same member again (same instance name, a new process): it resumes from its file.
        try (MQClientInstance clientA = member(mq, "broadcast-a")) {
            consumer(clientA, config, a, Duration.ofSeconds(2)).start();
            awaitTrue(() -> gotA.size() >= 150, "the restarted member got the new ones");
            settle();
        }
        assertThat(gotA).hasSize(150).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(gotB).hasSize(150).containsExactlyInAnyOrderElementsOf(sent);
    }

    private static ConsumeResult record(ConcurrentLinkedQueue<String> got, ReceivedMessage m) {
        got.add(m.messageId());
        return "yes".equals(m.properties().get("fail")) ? ConsumeResult.RETRY : ConsumeResult.SUCCESS;
    }

    /** Where a broadcasting member keeps its offsets. */
    static final class LocalFile {
        static Path of(Path directory, String owner, String group) {
            return directory.resolve(owner).resolve(group).resolve("offsets.json");
        }
    }

    // Orderly

    @Test
    void orderlyKeepsPerKeyOrderThroughAFailureAndARebalance(EmbeddedRocketMQ mq) {
        String topic = "OrderlyTopic";
        String group = "orderly-group";
        mq.createTopic(topic, 8);
        int keys = 10;
        int perKey = 100;
        List<String> processed = Collections.synchronizedList(new ArrayList<>());
        List<Integer> failingDeliveries = new CopyOnWriteArrayList<>();
        AtomicBoolean overlap = new AtomicBoolean();
        ConsumerConfig.Builder config = ConsumerConfig.builder().group(group).subscribe(topic, "*").orderly(true)
                .concurrency(4).consumeFrom(ConsumeFrom.FIRST_OFFSET).orderlyRetryDelay(Duration.ofMillis(300));
        MessageListener listener = m -> {
            String key = m.keys().get(0);
            int seq = Integer.parseInt(Objects.requireNonNull(m.properties().get("seq")));
            if (key.equals("key-3") && seq == 5) {
                failingDeliveries.add(m.reconsumeTimes());
                if (failingDeliveries.size() <= 2) {
                    return ConsumeResult.RETRY;
                }
            }
            processed.add(key + ":" + seq + ":" + m.queue().queueId());
            return ConsumeResult.SUCCESS;
        };
        sendKeyed(topic, keys, 0, perKey / 2);
        try (MQClientInstance clientA = member(mq, "orderly-a"); MQClientInstance clientB = member(mq, "orderly-b")) {
            PushConsumer a = consumer(clientA, config, listener, Duration.ofSeconds(2));
            a.start();
            awaitTrue(() -> processed.size() >= 200 && failingDeliveries.size() >= 3, "the first member got going");
            PushConsumer b = consumer(clientB, config, listener, Duration.ofSeconds(2));
            Thread watcher = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    Set<MessageQueue> both = new HashSet<>(a.assignedQueues());
                    both.retainAll(b.assignedQueues());
                    if (!both.isEmpty()) {
                        overlap.set(true);
                    }
                    Thread.onSpinWait();
                }
            });
            watcher.start();
            try {
                b.start();
                sendKeyed(topic, keys, perKey / 2, perKey);
                awaitTrue(() -> processed.size() >= keys * perKey, "every message processed");
                awaitTrue(() -> !b.assignedQueues().isEmpty(), "the second member owns queues");
                settle();
            } finally {
                watcher.interrupt();
            }
            assertThat(a.assignedQueues()).doesNotContainAnyElementsOf(b.assignedQueues());
        }
        assertThat(overlap).as("two members held one queue at once").isFalse();
        assertThat(failingDeliveries).containsExactly(0, 1, 2);
        Map<String, List<Integer>> perKeyOrder = new HashMap<>();
        synchronized (processed) {
            for (String entry : processed) {
                String[] parts = entry.split(":");
                perKeyOrder.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
            }
        }
        List<Integer> expected = IntStream.range(0, perKey).boxed().toList();
        for (int k = 0; k < keys; k++) {
            assertThat(perKeyOrder.get("key-" + k)).as("key-%d in order, each once", k).isEqualTo(expected);
        }
    }

    private static void sendKeyed(String topic, int keys, int from, int to) {
        for (int seq = from; seq < to; seq++) {
            for (int k = 0; k < keys; k++) {
                String key = "key-" + k;
                producer.send(Message.builder(topic).keys(key).property("seq", Integer.toString(seq))
                        .body(key + "-" + seq).build(), QueueSelectors.hash(), key);
            }
        }
    }

    @Test
    void anOrderlyMessageAlwaysFailingGoesToTheDeadLetterTopicAndItsQueueMovesOn(EmbeddedRocketMQ mq) {
        String topic = "OrderlyDeadLetterTopic";
        String group = "orderly-dlq-group";
        mq.createTopic(topic, 1);
        producer.send(Message.builder(topic).body("first").build());
        String poison = producer.send(Message.builder(topic).body("poison").build()).messageId();
        producer.send(Message.builder(topic).body("last").build());
        List<String> deliveries = new CopyOnWriteArrayList<>();
        try (MQClientInstance member = member(mq, "orderly-dlq")) {
            consumer(member, ConsumerConfig.builder().group(group).subscribe(topic, "*").orderly(true)
                    .consumeFrom(ConsumeFrom.FIRST_OFFSET).maxReconsumeTimes(2)
                    .orderlyRetryDelay(Duration.ofMillis(100)), m -> {
                        String body = new String(m.body(), StandardCharsets.UTF_8);
                        deliveries.add(body + "/" + m.reconsumeTimes());
                        return body.equals("poison") ? ConsumeResult.RETRY : ConsumeResult.SUCCESS;
                    }, Duration.ofSeconds(2)).start();
            awaitTrue(() -> deliveries.contains("last/0"), "the queue moved past the poison message");
            settle();
        }
        assertThat(deliveries).containsExactly("first/0", "poison/0", "poison/1", "poison/2", "last/0");
        List<dev.mq.test.StoredMessage> dead = readDeadLetters(mq, "%DLQ%" + group);
        assertThat(dead).extracting(dev.mq.test.StoredMessage::getMsgId).containsExactly(poison);
        assertThat(dead.get(0).getBody()).isEqualTo("poison".getBytes(StandardCharsets.UTF_8));
    }

    // The broker's requests

    @Test
    void theBrokersRequestsReachTheLiveConsumer(EmbeddedRocketMQ mq) {
        String topic = "AdminModesTopic";
        String group = "admin-modes-group";
        mq.createTopic(topic, 2);
        List<SendResult> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(producer.send(Message.builder(topic).body("m-" + i).build(), QueueSelectors.queueId(i % 2), null));
        }
        ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        ConsumerConfig.Builder config = ConsumerConfig.builder().group(group).subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.FIRST_OFFSET).commitInterval(Duration.ofMillis(200));
        MessageListener listener = m -> {
            got.add(m.messageId());
            return ConsumeResult.SUCCESS;
        };
        String broker = mq.brokerAddress(0);
        String brokerName = mq.brokerName(0);
        try (MQClientInstance memberA = member(mq, "admin-a"); MQClientInstance memberB = member(mq, "admin-b")) {
            // No periodic rebalance during the test: only the broker's notification can move queues.
            PushConsumer a = consumer(memberA, config, listener, Duration.ofMinutes(10));
            a.start();
            awaitTrue(() -> got.size() >= 20, "all 20 consumed");

            // GET_CONSUMER_RUNNING_INFO: the live queue table with committed offsets.
            awaitTrue(() -> runningInfo(broker, group, memberA.clientId()).contains("\"commitOffset\":10"),
                    "running info shows the committed offsets");
            String info = runningInfo(broker, group, memberA.clientId());
            assertThat(info).contains("\"PROP_CONSUMEORDERLY\":\"false\"").contains("\"topic\":\"" + topic + "\"")
                    .contains("%RETRY%" + group).contains("\"messageModel\":\"CLUSTERING\"");
            RemotingCommand ghost = invoke(broker, RequestCode.GET_CONSUMER_RUNNING_INFO,
                    new ConsumerAdminHeaders.RunningInfo("ghost-group", memberA.clientId(), false));
            assertThat(ghost.code()).isNotZero();

            // CONSUME_MESSAGE_DIRECTLY: the listener gets it once more, outside the queues.
            SendResult target = sent.get(3);
            RemotingCommand direct = invoke(broker, RequestCode.CONSUME_MESSAGE_DIRECTLY,
                    new ConsumerAdminHeaders.ConsumeDirectly(group, memberA.clientId(),
                            Objects.requireNonNull(target.offsetMessageId()), brokerName, topic));
            assertThat(direct.code()).as(direct.remark()).isZero();
            ConsumeDirectlyResult result = ConsumeDirectlyResult.decode(Objects.requireNonNull(direct.body()));
            assertThat(result.consumeResult()).isEqualTo(ConsumeDirectlyResult.Outcome.CR_SUCCESS);
            assertThat(got.stream().filter(target.messageId()::equals)).hasSize(2);

            // RESET_CONSUMER_CLIENT_OFFSET back to the start: everything is consumed again. A broker resets
            // only queues it holds an offset of the group for: wait for the commits to land.
            for (int q = 0; q < 2; q++) {
                int queueId = q;
                awaitTrue(() -> {
                    RemotingCommand stored = invoke(broker, RequestCode.QUERY_CONSUMER_OFFSET,
                            new ConsumerOffsetHeaders.Query(group, topic, queueId, false, brokerName));
                    return stored.code() == 0 && "10".equals(stored.field(ConsumerOffsetHeaders.OFFSET));
                }, "the broker holds the group's offset of queue " + q);
            }
            RemotingCommand reset = invoke(broker, INVOKE_BROKER_TO_RESET_OFFSET, sink -> {
                sink.accept("topic", topic);
                sink.accept("group", group);
                sink.accept("timestamp", "0");
                sink.accept("isForce", "true");
            });
            assertThat(reset.code()).as(reset.remark()).isZero();
            awaitTrue(() -> got.size() >= 41, "everything consumed again after the reset");
            settle();
            assertThat(got).hasSize(41);
            for (SendResult s : sent) {
                assertThat(got.stream().filter(s.messageId()::equals)).hasSize(s == target ? 3 : 2);
            }

            // NOTIFY_CONSUMER_IDS_CHANGED: a second member joins and the first gives up a queue at once.
            assertThat(topicQueues(a, topic)).hasSize(2);
            consumer(memberB, config, listener, Duration.ofMinutes(10)).start();
            awaitTrue(() -> topicQueues(a, topic).size() == 1, "the first member rebalanced on the notification");
        }
    }

    private static String runningInfo(String broker, String group, String clientId) {
        RemotingCommand info = invoke(broker, RequestCode.GET_CONSUMER_RUNNING_INFO,
                new ConsumerAdminHeaders.RunningInfo(group, clientId, false));
        assertThat(info.code()).as(info.remark()).isZero();
        return new String(Objects.requireNonNull(info.body()), StandardCharsets.UTF_8);
    }

    private static List<MessageQueue> topicQueues(PushConsumer consumer, String topic) {
        return consumer.assignedQueues().stream().filter(q -> q.topic().equals(topic)).toList();
    }
}
