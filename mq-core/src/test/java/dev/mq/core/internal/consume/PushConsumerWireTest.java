package dev.mq.core.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.ConsumerState;
import dev.mq.core.consumer.MessageListener;
import dev.mq.core.consumer.MessageSelector;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.internal.protocol.CheckClientBody;
import dev.mq.core.internal.protocol.HeartbeatBody.Subscription;
import dev.mq.core.internal.protocol.LockBatchBody;
import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.protocol.PullSysFlag;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.producer.FakeBroker;
import dev.mq.core.producer.FakeCluster;
import dev.mq.core.testing.CapturedLogs;
import dev.mq.core.testing.StoredRecord;
import io.netty.channel.ChannelHandlerContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The push consumer on the wire, against fake brokers: what it asks and sends, and when. */
class PushConsumerWireTest {

    private final FakeCluster cluster = new FakeCluster();
    private final FakeBroker brokerA = cluster.broker("broker-a");
    private final FakeBroker brokerB = cluster.broker("broker-b");
    private final MQClientInstance client = cluster.client(cluster.nameServer(
            topic -> FakeCluster.route(1, brokerA, brokerB), 0).address());

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static ConsumerConfig.Builder sqlAndTag(String group) {
        return ConsumerConfig.builder().group(group).subscribe("Orders", MessageSelector.sql92("amount > 100"))
                .subscribe("Audit", "created || paid").shutdownTimeout(Duration.ofSeconds(1));
    }

    private static boolean consumerThreadsOf(String group) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive()
                && (t.getName().startsWith("mq-consumer-" + group + "-") || t.getName().startsWith("mq-consume-" + group + "-")));
    }

    @Test
    void eachMasterOfAnSql92TopicIsAskedOnceBeforeAnyPullAndTagTopicsAreNot() throws Exception {
        try (PushConsumer consumer = client.newPushConsumer(sqlAndTag("sql-check").build(), m -> ConsumeResult.SUCCESS)) {
            consumer.start();
            assertThat(consumer.state()).isEqualTo(ConsumerState.RUNNING);
            for (FakeBroker broker : List.of(brokerA, brokerB)) {
                List<RemotingCommand> checks = broker.received(RequestCode.CHECK_CLIENT_CONFIG);
                assertThat(checks).hasSize(1);
                RemotingCommand check = checks.get(0);
                assertThat(check.extFields()).isEmpty();
                byte[] body = Objects.requireNonNull(check.body());
                String json = new String(body, StandardCharsets.UTF_8);
                assertThat(json).startsWith("{\"clientId\":\"" + client.clientId() + "\",\"group\":\"sql-check\",")
                        .doesNotContain("namespace");
                Subscription asked = CheckClientBody.decodeSubscription(body);
                assertThat(asked.topic()).isEqualTo("Orders");
                assertThat(asked.expressionType()).isEqualTo(Subscription.SQL92);
                assertThat(asked.subString()).isEqualTo("amount > 100");
            }
        }
    }

    @Test
    void aBrokerRefusingAnSql92SubscriptionFailsTheStartAndLeavesTheConsumerRestartable() throws Exception {
        brokerB.checkClientCode = 1; // SYSTEM_ERROR: property filtering is off there
        PushConsumer consumer = client.newPushConsumer(sqlAndTag("sql-refused").build(), m -> ConsumeResult.SUCCESS);
        try {
            assertThatThrownBy(consumer::start).isInstanceOfSatisfying(MQException.class,
                            e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION))
                    .hasMessageContaining("Orders").hasMessageContaining("amount > 100")
                    .hasMessageContaining("broker-b").hasMessageContaining(brokerB.address())
                    .hasMessageContaining("remark of 1").hasMessageContaining("enablePropertyFilter");
            assertThat(consumer.state()).isEqualTo(ConsumerState.CREATED);
            assertThat(client.consumers()).containsExactly(consumer);
            assertThat(consumerThreadsOf("sql-refused")).isFalse();
            // Nothing of the group reached a broker: no heartbeat named it, nothing was pulled.
            for (FakeBroker broker : List.of(brokerA, brokerB)) {
                assertThat(broker.received(RequestCode.HEART_BEAT)).noneMatch(h -> new String(
                        Objects.requireNonNull(h.body()), StandardCharsets.UTF_8).contains("sql-refused"));
                assertThat(broker.received(RequestCode.PULL_MESSAGE)).isEmpty();
            }

            brokerB.checkClientCode = 0;
            consumer.start();
            assertThat(consumer.state()).isEqualTo(ConsumerState.RUNNING);
            await(() -> brokerA.received(RequestCode.HEART_BEAT).stream().anyMatch(h -> new String(
                    Objects.requireNonNull(h.body()), StandardCharsets.UTF_8).contains("sql-refused")),
                    "a heartbeat names the group once started");
        } finally {
            consumer.close();
        }
        await(() -> !consumerThreadsOf("sql-refused"), "the consumer's threads ended");
    }

    // Giving a queue up

    private static final MessageQueue A0 = new MessageQueue("Orders", "broker-a", 0);

    /** Pulls of A0 after the first, held (not answered) in arrival order. */
    private final List<Held> heldPulls = new CopyOnWriteArrayList<>();

    private record Held(ChannelHandlerContext ctx, RemotingCommand pull) {
    }

    private static byte[] records(long... offsets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long offset : offsets) {
            StoredRecord record = new StoredRecord();
            record.topic = "Orders";
            record.queueId = 0;
            record.queueOffset = offset;
            record.physicalOffset = 1_000 + offset;
            record.reconsumeTimes = 0;
            record.body = ("m-" + offset).getBytes(StandardCharsets.UTF_8);
            record.properties.put(MessageProperties.UNIQ_KEY, "ID-" + offset);
            out.writeBytes(record.bytes());
        }
        return out.toByteArray();
    }

    /**
     * Broker A holds offset 10 of A0 for the group; the first pull of A0 finds messages 10 and 11, every
     * later pull of A0 is held ({@link #heldPulls}); pulls of other queues are held unanswered. Both
     * brokers list only this client as the group's member until the test adds another.
     */
    private PushConsumer ownA0(String group, MessageListener listener) {
        return ownA0(group, listener, Duration.ofMillis(100));
    }

    private PushConsumer ownA0(String group, MessageListener listener, Duration commitInterval) {
        return ownA0(group, listener, commitInterval, false);
    }

    private PushConsumer ownA0(String group, MessageListener listener, Duration commitInterval, boolean orderly) {
        brokerA.consumerOffsets.put(A0, 10L);
        brokerA.pulls = (ctx, pull) -> {
            if (!"Orders".equals(pull.field("topic")) || !"0".equals(pull.field("queueId"))) {
                return;
            }
            if (pull.field("queueOffset").equals("10")) {
                FakeBroker.answerPull(ctx, pull, 0, 12, records(10, 11));
            } else {
                heldPulls.add(new Held(ctx, pull));
            }
        };
        for (FakeBroker broker : List.of(brokerA, brokerB)) {
            broker.members.add(client.clientId());
        }
        PushConsumer consumer = client.newPushConsumer(ConsumerConfig.builder().group(group).subscribe("Orders", "*")
                .concurrency(2).orderly(orderly).commitInterval(commitInterval).shutdownTimeout(Duration.ofSeconds(10))
                .build(),
                listener);
        ((DefaultPushConsumer) consumer).rebalanceInterval(Duration.ofMillis(200));
        return consumer;
    }

    /** Another member joins, sorting first: the averaging allocation gives it A0, this client B0. */
    private void anotherMemberTakesA0() {
        for (FakeBroker broker : List.of(brokerA, brokerB)) {
            broker.members.add("0.0.0.0@taker");
        }
    }

    /** Handlers wait for it, so that the pull sent after the first answer carries offset 10 (nothing finished). */
    private void awaitNextPullHeld() throws InterruptedException {
        await(() -> !heldPulls.isEmpty(), "the second pull of A0 held");
    }

    private static boolean isA0(RemotingCommand request) {
        return "Orders".equals(request.field("topic")) && "0".equals(request.field("queueId"));
    }

    private List<RemotingCommand> receivedByA(int from) {
        List<RemotingCommand> all = List.copyOf(brokerA.server().received());
        return all.subList(Math.min(from, all.size()), all.size());
    }

    private static List<Long> a0Updates(List<RemotingCommand> requests) {
        return requests.stream().filter(r -> r.code() == RequestCode.UPDATE_CONSUMER_OFFSET && isA0(r))
                .map(r -> Long.parseLong(r.field("commitOffset"))).toList();
    }

    @Test
    void aQueueBeingGivenUpSendsNoOffsetButItsFinalCommitWhichIsWrittenOnceWhenNothingOlderIsInFlight()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> handled = new CopyOnWriteArrayList<>();
        MessageListener listener = m -> {
            awaitNextPullHeld();
            if (m.queueOffset() == 11) {
                release.await(); // holds the give-up in its wait for handlers
            }
            handled.add(m.queueOffset());
            return ConsumeResult.SUCCESS;
        };
        try (CapturedLogs logs = CapturedLogs.of(Rebalancer.class.getName(), Level.INFO);
             PushConsumer consumer = ownA0("give-up-once", listener)) {
            consumer.start();
            await(() -> handled.contains(10L) && heldPulls.size() == 1, "message 10 handled, the next pull held");
            ProcessQueue a0 = Objects.requireNonNull(
                    Objects.requireNonNull(((DefaultPushConsumer) consumer).session()).queues().get(A0));
            // The pull sent after the first answer carries the committable offset of that moment: 10.
            RemotingCommand held = heldPulls.get(0).pull();
            assertThat(PullSysFlag.hasCommitOffset(Integer.parseInt(held.field("sysFlag")))).isTrue();
            assertThat(held.field("commitOffset")).isEqualTo("10");

            anotherMemberTakesA0();
            await(() -> !consumer.assignedQueues().contains(A0), "A0 is being given up");
            int givenUp = brokerA.server().received().size();
            // The held pull is answered now: the pull loop of a queue being given up sends nothing more,
            // least of all a commit offset (an older one than the final commit's).
            FakeBroker.answerPull(heldPulls.get(0).ctx(), held, 19, 12, null);
            await(() -> !a0.olderCommitMayLand(12), "the answer acknowledged the offset the pull carried");
            Thread.sleep(300); // an absence: lets a pull that must not be sent arrive before the final commit
            release.countDown();
            await(() -> logs.messages(Level.INFO).stream().anyMatch(m -> m.contains("gave up") && m.contains(
                    "Orders")), "the give-up of A0 finished");

            List<RemotingCommand> after = receivedByA(givenUp);
            assertThat(after).filteredOn(r -> r.code() == RequestCode.PULL_MESSAGE && isA0(r)).isEmpty();
            // No periodic commit wrote A0 while its handler was awaited (every 100 ms); the final offset
            // is written once: the only offset sent before it was acknowledged (the pull was answered).
            assertThat(a0Updates(after)).containsExactly(12L);
        }
    }

    @Test
    void aQueueGivenUpWhileAPullCarryingAnOlderOffsetIsUnansweredWritesItsFinalOffsetTwice() throws Exception {
        List<Long> handled = new CopyOnWriteArrayList<>();
        try (PushConsumer consumer = ownA0("give-up-twice", m -> {
            awaitNextPullHeld();
            handled.add(m.queueOffset());
            return ConsumeResult.SUCCESS;
        })) {
            consumer.start();
            await(() -> handled.size() == 2 && heldPulls.size() == 1, "both handled, the next pull held");
            assertThat(heldPulls.get(0).pull().field("commitOffset")).isEqualTo("10");
            int before = brokerA.server().received().size();

            anotherMemberTakesA0();
            await(() -> a0Updates(receivedByA(before)).size() >= 2, "the final offset written twice");
            assertThat(brokerA.consumerOffsets.get(A0)).isEqualTo(12L);
            consumer.stop();
            List<RemotingCommand> after = receivedByA(before);
            // Periodic commits before the give-up wrote 12 too; the give-up's own writes are the last two.
            List<Long> updates = a0Updates(after);
            assertThat(updates).isNotEmpty().containsOnly(12L);
            assertThat(after).filteredOn(r -> r.code() == RequestCode.PULL_MESSAGE && isA0(r)).isEmpty();
        }
    }

    @Test
    void aPeriodicCommitThatFailedCountsAsAnOlderOffsetThatMayLandSoTheFinalOffsetIsWrittenTwice() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> handled = new CopyOnWriteArrayList<>();
        MessageListener listener = m -> {
            awaitNextPullHeld();
            if (m.queueOffset() == 11) {
                release.await(); // offset 11 stays the committable one while periodic commits fail
            }
            handled.add(m.queueOffset());
            return ConsumeResult.SUCCESS;
        };
        try (CapturedLogs logs = CapturedLogs.of(Rebalancer.class.getName(), Level.INFO);
             PushConsumer consumer = ownA0("give-up-failed-commit", listener)) {
            brokerA.offsetUpdateCode = 1; // SYSTEM_ERROR: a periodic write of 11 that may yet be applied
            consumer.start();
            await(() -> handled.contains(10L) && heldPulls.size() == 1, "message 10 handled, the next pull held");
            int refusedFrom = brokerA.server().received().size();
            await(() -> a0Updates(receivedByA(refusedFrom)).contains(11L), "a periodic commit of 11 refused");
            brokerA.offsetUpdateCode = 0;

            anotherMemberTakesA0();
            await(() -> !consumer.assignedQueues().contains(A0), "A0 is being given up");
            int givenUp = brokerA.server().received().size();
            RemotingCommand held = heldPulls.get(0).pull();
            FakeBroker.answerPull(heldPulls.get(0).ctx(), held, 19, 12, null); // the pull's offset acknowledged
            release.countDown();
            await(() -> logs.messages(Level.INFO).stream().anyMatch(m -> m.contains("gave up") && m.contains(
                    "Orders")), "the give-up of A0 finished");

            // Only the refused periodic write (11) is unacknowledged: the final offset is written twice.
            assertThat(a0Updates(receivedByA(givenUp))).containsExactly(12L, 12L);
            assertThat(brokerA.consumerOffsets.get(A0)).isEqualTo(12L);
        }
    }

    @Test
    void aResetWhileAPullCarryingAnotherOffsetIsUnansweredWritesTheResetOffsetTwice() throws Exception {
        List<Long> handled = new CopyOnWriteArrayList<>();
        MessageListener listener = m -> {
            awaitNextPullHeld();
            handled.add(m.queueOffset());
            return ConsumeResult.SUCCESS;
        };
        // No periodic commit in this test: every offset write seen is the reset's.
        try (CapturedLogs logs = CapturedLogs.of(ConsumerSession.class.getName(), Level.INFO);
             PushConsumer consumer = ownA0("reset-twice", listener, Duration.ofHours(1))) {
            consumer.start();
            await(() -> handled.size() == 2 && heldPulls.size() == 1, "both handled, the next pull held");
            assertThat(heldPulls.get(0).pull().field("commitOffset")).isEqualTo("10"); // unanswered
            int before = brokerA.server().received().size();

            Objects.requireNonNull(((DefaultPushConsumer) consumer).session()).resetOffsets(java.util.Map.of(A0, 5L));
            await(() -> logs.messages(Level.INFO).stream().anyMatch(m -> m.contains("restarts at offset 5")),
                    "A0 restarted at the reset offset");

            assertThat(a0Updates(receivedByA(before))).containsExactly(5L, 5L);
            assertThat(brokerA.consumerOffsets.get(A0)).isEqualTo(5L);
        }
    }

    // An orderly queue: handed over through its lock, at once, so its final offset must land last

    private static boolean isA0Unlock(RemotingCommand request) {
        return request.code() == RequestCode.UNLOCK_BATCH_MQ
                && LockBatchBody.decodeRequest(Objects.requireNonNull(request.body())).queues().contains(A0);
    }

    @Test
    void anOrderlyMembersPullsCarryNoOffsetItsPeriodicCommitWritesIt() throws Exception {
        List<Long> handled = new CopyOnWriteArrayList<>();
        try (PushConsumer consumer = ownA0("orderly-no-pull-offset", m -> {
            awaitNextPullHeld();
            handled.add(m.queueOffset());
            return ConsumeResult.SUCCESS;
        }, Duration.ofMillis(100), true)) {
            consumer.start();
            await(() -> handled.size() == 2 && heldPulls.size() == 1, "both handled in order, the next pull held");
            assertThat(handled).containsExactly(10L, 11L);
            await(() -> Objects.equals(brokerA.consumerOffsets.get(A0), 12L), "a periodic commit wrote 12");
            List<RemotingCommand> pulls = brokerA.received(RequestCode.PULL_MESSAGE).stream()
                    .filter(PushConsumerWireTest::isA0).toList();
            assertThat(pulls).hasSize(2).allSatisfy(pull -> {
                assertThat(PullSysFlag.hasCommitOffset(Integer.parseInt(pull.field("sysFlag")))).isFalse();
                assertThat(pull.field("commitOffset")).isEqualTo("0");
            });
        }
    }

    @Test
    void anOrderlyQueueGivenUpWritesItsFinalOffsetOnlyOnceEveryEarlierWriteWasAnsweredThenUnlocks()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> handled = new CopyOnWriteArrayList<>();
        MessageListener listener = m -> {
            awaitNextPullHeld();
            if (m.queueOffset() == 11) {
                release.await(); // 11 stays the committable offset; then it holds the give-up in its wait
            }
            handled.add(m.queueOffset());
            return ConsumeResult.SUCCESS;
        };
        try (CapturedLogs logs = CapturedLogs.of(Rebalancer.class.getName(), Level.INFO);
             PushConsumer consumer = ownA0("orderly-final-last", listener, Duration.ofMillis(100), true)) {
            consumer.start();
            await(() -> handled.contains(10L) && heldPulls.size() == 1, "message 10 handled, the next pull held");
            CompletableFuture<Void> busy = new CompletableFuture<>();
            brokerA.offsetUpdateHold = busy; // the broker takes offset writes up late from here on
            int heldFrom = brokerA.server().received().size();
            await(() -> a0Updates(receivedByA(heldFrom)).contains(11L), "a periodic write of 11, unanswered");

            anotherMemberTakesA0();
            await(() -> !consumer.assignedQueues().contains(A0), "A0 is being given up");
            int givenUp = brokerA.server().received().size(); // from here on, only the final write writes A0
            release.countDown();
            await(() -> handled.contains(11L), "message 11 handled");
            Thread.sleep(300); // an absence: the final write must wait for the earlier one's answer
            assertThat(a0Updates(receivedByA(givenUp))).as("writes while an earlier one is unanswered").isEmpty();
            assertThat(receivedByA(givenUp)).noneMatch(PushConsumerWireTest::isA0Unlock);

            busy.complete(null);
            brokerA.offsetUpdateHold = CompletableFuture.completedFuture(null);
            await(() -> logs.messages(Level.INFO).stream().anyMatch(m -> m.contains("gave up") && m.contains(
                    "Orders")), "the give-up of A0 finished");
            List<RemotingCommand> after = receivedByA(givenUp);
            assertThat(a0Updates(after)).containsExactly(12L);
            int finalWrite = after.indexOf(after.stream().filter(r -> r.code() == RequestCode.UPDATE_CONSUMER_OFFSET
                    && isA0(r)).findFirst().orElseThrow());
            assertThat(after.subList(finalWrite, after.size())).anyMatch(PushConsumerWireTest::isA0Unlock);
            assertThat(brokerA.consumerOffsets.get(A0)).isEqualTo(12L);
            assertThat(brokerA.locks).doesNotContainKey(A0);
        }
    }

    @Test
    void anOrderlyQueueWhoseFinalOffsetWasNotAcknowledgedKeepsItsLock() throws Exception {
        List<Long> handled = new CopyOnWriteArrayList<>();
        try (CapturedLogs logs = CapturedLogs.of(Rebalancer.class.getName(), Level.INFO);
             PushConsumer consumer = ownA0("orderly-final-refused", m -> {
                 awaitNextPullHeld();
                 handled.add(m.queueOffset());
                 return ConsumeResult.SUCCESS;
             }, Duration.ofHours(1), true)) {
            consumer.start();
            await(() -> handled.size() == 2, "both handled");
            brokerA.offsetUpdateCode = 1; // SYSTEM_ERROR: the final write is refused
            int before = brokerA.server().received().size();

            anotherMemberTakesA0();
            await(() -> logs.messages(Level.INFO).stream().anyMatch(m -> m.contains("gave up") && m.contains(
                    "Orders")), "the give-up of A0 finished");
            assertThat(a0Updates(receivedByA(before))).contains(12L);
            // Unlocked, another member would read the offset at once: 10, not 12. The lock runs out instead.
            assertThat(receivedByA(before)).noneMatch(PushConsumerWireTest::isA0Unlock);
            assertThat(brokerA.locks).containsEntry(A0, client.clientId());
            assertThat(brokerA.consumerOffsets.get(A0)).isEqualTo(10L);
        }
    }
}
