package dev.mq.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Clock;
import dev.mq.core.Message;
import dev.mq.core.MessageQueue;
import dev.mq.core.SendResult;
import dev.mq.core.client.ClientResources;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.client.CallbackExecutor;
import dev.mq.core.internal.consume.ConsumerAdminRequests;
import dev.mq.core.internal.consume.QueueLocks;
import dev.mq.core.internal.protocol.ConsumeDirectlyResult;
import dev.mq.core.internal.protocol.ConsumerAdminHeaders;
import dev.mq.core.internal.protocol.ConsumerOffsetHeaders;
import dev.mq.core.internal.protocol.ConsumerRunningInfo;
import dev.mq.core.internal.protocol.HeartbeatBody;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.RequestFields;
import dev.mq.core.internal.protocol.StoredMessage;
import dev.mq.core.internal.transport.CommandHeader;
import dev.mq.core.internal.transport.InboundRequestHandler;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.internal.transport.RemotingConfig;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer's building blocks on a real broker. Orderly queue locks: one holder per queue and group,
 * released on unlock. The broker's requests to a consumer: an administrator's calls (made here with the
 * admin request codes, as {@code mqadmin} makes them) are forwarded to a registered member of a group,
 * answered by {@link ConsumerAdminRequests}, and the answer comes back through the broker. The member
 * is a bare transport client that sends a consumer heartbeat; its consumers are a fake.
 */
@ConsumerCluster
class ConsumerPiecesIntegrationTest {

    private static final String GROUP = "admin-group";
    private static final String TOPIC = "AdminTopic";
    private static final String MEMBER = "127.0.0.1@admin-member";
    /** INVOKE_BROKER_TO_RESET_OFFSET: an administrator asks a broker to reset a group's offsets. */
    private static final int INVOKE_BROKER_TO_RESET_OFFSET = 222;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static final ConsumerRunningInfo INFO = new ConsumerRunningInfo(
            Map.of(ConsumerRunningInfo.CONSUME_TYPE, "CONSUME_PASSIVELY"),
            List.of(HeartbeatBody.Subscription.tag(TOPIC, "*", 1)),
            Map.of(new MessageQueue(TOPIC, "broker-a", 0), ConsumerRunningInfo.QueueInfo.of(3, 0, 0, 0, 0, false, 0,
                    false, 0, 0)),
            Map.of(), null);
    private static final ConsumeDirectlyResult DIRECT = new ConsumeDirectlyResult(true,
            ConsumeDirectlyResult.Outcome.CR_SUCCESS, false, "handled", 4);

    private static final List<String> idsChanged = new CopyOnWriteArrayList<>();
    private static final List<StoredMessage> direct = new CopyOnWriteArrayList<>();
    private static final List<Map<MessageQueue, Long>> resets = new CopyOnWriteArrayList<>();

    private static CallbackExecutor callbacks;
    private static ClientResources resources;
    private static RemotingClient member;
    private static RemotingClient admin;

    @BeforeAll
    static void start() {
        // Shared by the subclass for the other broker version, which runs in the same JVM.
        idsChanged.clear();
        direct.clear();
        resets.clear();
        callbacks = CallbackExecutor.create(null, "admin-it");
        resources = ClientResources.builder().name("admin-it").build();
        ConsumerAdminRequests requests = new ConsumerAdminRequests(new ConsumerAdminRequests.Consumers() {
            @Override
            public void consumerIdsChanged(String group) {
                idsChanged.add(group);
            }

            @Override
            public @Nullable ConsumerRunningInfo runningInfo(String group) {
                return group.equals(GROUP) ? INFO : null;
            }

            @Override
            public @Nullable CompletionStage<ConsumeDirectlyResult> consumeDirectly(String group, StoredMessage message,
                                                                                    @Nullable String brokerName) {
                direct.add(message);
                return CompletableFuture.completedFuture(DIRECT);
            }

            @Override
            public void resetOffsets(String group, String topic, Map<MessageQueue, Long> offsets) {
                if (group.equals(GROUP) && topic.equals(TOPIC)) {
                    resets.add(offsets);
                }
            }
        });
        member = new RemotingClient("admin-it-member", RemotingConfig.defaults(), requests, callbacks,
                resources.eventLoopGroup(), resources.timer(), resources.clock());
        admin = new RemotingClient("admin-it-admin", RemotingConfig.defaults(), InboundRequestHandler.UNSUPPORTED,
                callbacks, resources.eventLoopGroup(), resources.timer(), resources.clock());
    }

    @AfterAll
    static void stop() {
        member.close();
        admin.close();
        resources.close();
        callbacks.close(Duration.ofSeconds(1));
    }

    private static RemotingCommand invoke(RemotingClient client, String address, int code, RequestFields fields,
                                          byte @Nullable [] body) {
        return client.invoke(address, OutboundFrame.request(code, writer -> fields.writeFields(writer::field), body),
                TIMEOUT).join();
    }

    /** Registers {@code clientId} as a member of {@code groups} on {@code client}'s connection. */
    private static void heartbeat(RemotingClient client, String address, String clientId, String... groups) {
        List<HeartbeatBody.ConsumerGroup> consumers = java.util.Arrays.stream(groups)
                .map(g -> HeartbeatBody.ConsumerGroup.push(g, HeartbeatBody.MessageModel.CLUSTERING,
                        HeartbeatBody.ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET,
                        List.of(HeartbeatBody.Subscription.tag(TOPIC, "*", 1))))
                .toList();
        RemotingCommand answer = client.invoke(address, OutboundFrame.request(RequestCode.HEART_BEAT,
                CommandHeader.EMPTY, HeartbeatBody.encode(clientId, List.of(), consumers)), TIMEOUT).join();
        assertThat(answer.code()).isZero();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition within " + TIMEOUT).isNegative();
            Thread.sleep(20);
        }
    }

    @Test
    void adminCallsReachTheMemberThroughTheBrokerAndItsAnswersComeBack(EmbeddedRocketMQ mq) throws Exception {
        String broker = mq.brokerAddress(0);
        String brokerName = mq.brokerName(0);
        heartbeat(member, broker, MEMBER, GROUP, "ghost-group");

        // GET_CONSUMER_RUNNING_INFO: the body comes back byte for byte.
        RemotingCommand info = invoke(admin, broker, RequestCode.GET_CONSUMER_RUNNING_INFO,
                new ConsumerAdminHeaders.RunningInfo(GROUP, MEMBER, false), null);
        assertThat(info.code()).isZero();
        assertThat(info.body()).isEqualTo(INFO.encode());
        RemotingCommand ghost = invoke(admin, broker, RequestCode.GET_CONSUMER_RUNNING_INFO,
                new ConsumerAdminHeaders.RunningInfo("ghost-group", MEMBER, false), null);
        assertThat(ghost.code()).isEqualTo(1);
        assertThat(ghost.remark()).contains("The Consumer Group <ghost-group> not exist in this consumer");

        // CONSUME_MESSAGE_DIRECTLY: the broker reads the message by its offset id and forwards it.
        SendResult sent;
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress()).build()) {
            client.start();
            Producer producer = client.newProducer(ProducerConfig.builder().group("admin-it-producer").build());
            sent = producer.send(Message.builder(TOPIC).tags("t").keys("k-1").body("direct body").build());
        }
        RemotingCommand consumed = invoke(admin, broker, RequestCode.CONSUME_MESSAGE_DIRECTLY,
                new ConsumerAdminHeaders.ConsumeDirectly(GROUP, MEMBER, Objects.requireNonNull(sent.offsetMessageId()),
                        brokerName, TOPIC), null);
        assertThat(consumed.code()).isZero();
        assertThat(ConsumeDirectlyResult.decode(Objects.requireNonNull(consumed.body()))).isEqualTo(DIRECT);
        assertThat(direct).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(sent.messageId());
            assertThat(m.topic()).isEqualTo(TOPIC);
            assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("direct body");
        });

        // RESET_CONSUMER_CLIENT_OFFSET: the group needs committed offsets before a broker resets them.
        int queues = 4;
        for (int q = 0; q < queues; q++) {
            assertThat(invoke(member, broker, RequestCode.UPDATE_CONSUMER_OFFSET,
                    new ConsumerOffsetHeaders.Update(GROUP, TOPIC, q, 0, null), null).code()).isZero();
        }
        RemotingCommand reset = invoke(admin, broker, INVOKE_BROKER_TO_RESET_OFFSET, sink -> {
            sink.accept("topic", TOPIC);
            sink.accept("group", GROUP);
            sink.accept("timestamp", "0");
            sink.accept("isForce", "true");
        }, null);
        assertThat(reset.code()).as(reset.remark()).isZero();
        await(() -> !resets.isEmpty());
        Map<MessageQueue, Long> offsets = resets.get(0);
        assertThat(offsets.keySet()).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, queues)
                .mapToObj(q -> new MessageQueue(TOPIC, brokerName, q)).toList());
        assertThat(offsets.values()).allMatch(offset -> offset == 0);

        // NOTIFY_CONSUMER_IDS_CHANGED: another member joins the group.
        idsChanged.clear();
        RemotingClient second = new RemotingClient("admin-it-second", RemotingConfig.defaults(),
                InboundRequestHandler.UNSUPPORTED, callbacks, resources.eventLoopGroup(), resources.timer(),
                resources.clock());
        try {
            heartbeat(second, broker, "127.0.0.1@admin-second", GROUP);
            await(() -> idsChanged.contains(GROUP));
        } finally {
            second.close();
        }
    }

    private static QueueLocks locks(EmbeddedRocketMQ mq, String clientId, String group) {
        String address = mq.brokerAddress(0);
        return new QueueLocks(member, resources.timer(), Clock.system(), clientId, group, queue -> address);
    }

    @Test
    void twoClientsOfAGroupCannotBothLockAQueue(EmbeddedRocketMQ mq) {
        String broker = mq.brokerName(0);
        MessageQueue q0 = new MessageQueue("LockTopic", broker, 0);
        MessageQueue q1 = new MessageQueue("LockTopic", broker, 1);
        MessageQueue q2 = new MessageQueue("LockTopic", broker, 2);
        QueueLocks first = locks(mq, "127.0.0.1@first", "lock-group");
        QueueLocks second = locks(mq, "127.0.0.1@second", "lock-group");
        QueueLocks otherGroup = locks(mq, "127.0.0.1@third", "another-group");

        assertThat(first.lock(List.of(q0, q1)).join()).containsExactlyInAnyOrder(q0, q1);
        assertThat(second.lock(List.of(q1, q2)).join()).containsExactly(q2);
        assertThat(second.isLocked(q1)).isFalse();
        // Renewing keeps what one holds; locks are per group.
        assertThat(first.lock(List.of(q0, q1)).join()).containsExactlyInAnyOrder(q0, q1);
        assertThat(otherGroup.lock(List.of(q0, q1)).join()).containsExactlyInAnyOrder(q0, q1);

        first.unlock(List.of(q1)).join();
        assertThat(first.isLocked(q1)).isFalse();
        assertThat(second.lock(List.of(q1)).join()).containsExactly(q1);
        assertThat(first.lock(List.of(q1)).join()).isEmpty();
        assertThat(first.isLocked(q0)).isTrue();

        second.unlock(List.of(q1, q2)).join();
        first.unlock(List.of(q0)).join();
        otherGroup.unlock(List.of(q0, q1)).join();
    }
}
