package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.body.CMResult;
import org.apache.rocketmq.remoting.protocol.body.ConsumeMessageDirectlyResult;
import org.apache.rocketmq.remoting.protocol.body.ConsumeStatus;
import org.apache.rocketmq.remoting.protocol.body.ProcessQueueInfo;
import org.apache.rocketmq.remoting.protocol.body.ResetOffsetBody;
import org.apache.rocketmq.remoting.protocol.heartbeat.SubscriptionData;
import org.junit.jupiter.api.Test;

/**
 * The bodies of the broker's requests to consumers, against the official client's own classes: what
 * the admin tool decodes from us, and what we decode from bytes the broker's serializer writes.
 */
class ConsumerAdminInteropTest {

    private static dev.mq.core.MessageQueue ours(String topic, String broker, int id) {
        return new dev.mq.core.MessageQueue(topic, broker, id);
    }

    @Test
    void officialAdminToolReadsOurRunningInfo() {
        dev.mq.core.internal.protocol.ConsumerRunningInfo info = new dev.mq.core.internal.protocol.ConsumerRunningInfo(
                Map.of(dev.mq.core.internal.protocol.ConsumerRunningInfo.CONSUME_TYPE, "CONSUME_PASSIVELY",
                        dev.mq.core.internal.protocol.ConsumerRunningInfo.CONSUME_ORDERLY, "false",
                        dev.mq.core.internal.protocol.ConsumerRunningInfo.START_TIMESTAMP, "1700000000000"),
                List.of(HeartbeatBody.Subscription.tag("Orders", "created || paid", 17),
                        HeartbeatBody.Subscription.tag("%RETRY%billing", "*", 17)),
                Map.of(ours("Orders", "broker-a", 0),
                        dev.mq.core.internal.protocol.ConsumerRunningInfo.QueueInfo.of(42, 40, 41, 2,
                                5L * 1024 * 1024, true, 1_700_000_000_100L, false, 1_700_000_000_200L, 1_700_000_000_300L),
                        ours("Orders", "broker-b", 3),
                        dev.mq.core.internal.protocol.ConsumerRunningInfo.QueueInfo.of(7, 0, 0, 0, 0, false, 0,
                                false, 0, 0)),
                Map.of("Orders", new dev.mq.core.internal.protocol.ConsumerRunningInfo.TopicStatus(3, 0.5, 120.25, 1.75,
                        0.1, 30)),
                null).withJstack("Thread: main (RUNNABLE)\n\tat x.y(Z.java:1)\n\n");

        org.apache.rocketmq.remoting.protocol.body.ConsumerRunningInfo official =
                org.apache.rocketmq.remoting.protocol.body.ConsumerRunningInfo.decode(info.encode(),
                        org.apache.rocketmq.remoting.protocol.body.ConsumerRunningInfo.class);

        assertThat(official.getProperties()).containsEntry("PROP_CONSUME_TYPE", "CONSUME_PASSIVELY")
                .containsEntry("PROP_CONSUMER_START_TIMESTAMP", "1700000000000");
        assertThat(official.getSubscriptionSet()).extracting(SubscriptionData::getTopic)
                .containsExactlyInAnyOrder("Orders", "%RETRY%billing");
        SubscriptionData orders = official.getSubscriptionSet().stream()
                .filter(s -> s.getTopic().equals("Orders")).findFirst().orElseThrow();
        assertThat(orders.getTagsSet()).containsExactlyInAnyOrder("created", "paid");
        assertThat(orders.getCodeSet()).containsExactlyInAnyOrder("created".hashCode(), "paid".hashCode());
        assertThat(orders.getSubVersion()).isEqualTo(17);
        assertThat(orders.getExpressionType()).isEqualTo("TAG");

        ProcessQueueInfo q0 = official.getMqTable().get(new MessageQueue("Orders", "broker-a", 0));
        assertThat(q0.getCommitOffset()).isEqualTo(42);
        assertThat(q0.getCachedMsgMinOffset()).isEqualTo(40);
        assertThat(q0.getCachedMsgMaxOffset()).isEqualTo(41);
        assertThat(q0.getCachedMsgCount()).isEqualTo(2);
        assertThat(q0.getCachedMsgSizeInMiB()).isEqualTo(5);
        assertThat(q0.isLocked()).isTrue();
        assertThat(q0.isDroped()).isFalse();
        assertThat(q0.getLastLockTimestamp()).isEqualTo(1_700_000_000_100L);
        assertThat(q0.getLastPullTimestamp()).isEqualTo(1_700_000_000_200L);
        assertThat(q0.getLastConsumeTimestamp()).isEqualTo(1_700_000_000_300L);
        assertThat(official.getMqTable().get(new MessageQueue("Orders", "broker-b", 3)).getCommitOffset()).isEqualTo(7);

        ConsumeStatus status = official.getStatusTable().get("Orders");
        assertThat(status.getConsumeFailedMsgs()).isEqualTo(3);
        assertThat(status.getConsumeFailedTPS()).isEqualTo(0.5);
        assertThat(status.getConsumeOKTPS()).isEqualTo(120.25);
        assertThat(status.getConsumeRT()).isEqualTo(1.75);
        assertThat(status.getPullRT()).isEqualTo(0.1);
        assertThat(status.getPullTPS()).isEqualTo(30);
        assertThat(official.getJstack()).isEqualTo("Thread: main (RUNNABLE)\n\tat x.y(Z.java:1)\n\n");

        // What mqadmin consumerStatus prints and checks.
        assertThat(official.formatString()).contains("Orders", "broker-a", "CONSUME_PASSIVELY", "created");
        TreeMap<String, org.apache.rocketmq.remoting.protocol.body.ConsumerRunningInfo> members = new TreeMap<>();
        members.put("10.0.0.1@a", official);
        members.put("10.0.0.2@b", org.apache.rocketmq.remoting.protocol.body.ConsumerRunningInfo.decode(info.encode(),
                org.apache.rocketmq.remoting.protocol.body.ConsumerRunningInfo.class));
        assertThat(org.apache.rocketmq.remoting.protocol.body.ConsumerRunningInfo.analyzeSubscription(members)).isTrue();
    }

    @Test
    void weReadTheResetBodyTheOfficialSerializerWrites() {
        Map<MessageQueue, Long> table = new LinkedHashMap<>();
        table.put(new MessageQueue("Orders", "broker-a", 1), 7L);
        table.put(new MessageQueue("Orders", "broker-b", 0), 12_345_678_901L);
        table.put(new MessageQueue("%RETRY%bill\"ing", "broker-a", 15), 0L);
        ResetOffsetBody official = new ResetOffsetBody();
        official.setOffsetTable(table);
        byte[] wire = official.encode();
        // Proof that these are the object-keyed bytes a standard parser refuses.
        assertThat(new String(wire, StandardCharsets.UTF_8)).contains("{{");

        Map<dev.mq.core.MessageQueue, Long> decoded = dev.mq.core.internal.protocol.ResetOffsetBody.decode(wire);
        assertThat(decoded).containsOnly(Map.entry(ours("Orders", "broker-a", 1), 7L),
                Map.entry(ours("Orders", "broker-b", 0), 12_345_678_901L),
                Map.entry(ours("%RETRY%bill\"ing", "broker-a", 15), 0L));

        // And the official client reads what we write for fake brokers.
        ResetOffsetBody back = ResetOffsetBody.decode(dev.mq.core.internal.protocol.ResetOffsetBody.encode(decoded),
                ResetOffsetBody.class);
        assertThat(back.getOffsetTable()).isEqualTo(table);
    }

    @Test
    void officialAdminToolReadsOurConsumeDirectlyResult() {
        ConsumeDirectlyResult ours = new ConsumeDirectlyResult(true, ConsumeDirectlyResult.Outcome.CR_LATER, false,
                "handler asked for a retry", 12);
        ConsumeMessageDirectlyResult official = ConsumeMessageDirectlyResult.decode(ours.encode(),
                ConsumeMessageDirectlyResult.class);
        assertThat(official.getConsumeResult()).isEqualTo(CMResult.CR_LATER);
        assertThat(official.isAutoCommit()).isTrue();
        assertThat(official.isOrder()).isFalse();
        assertThat(official.getRemark()).isEqualTo("handler asked for a retry");
        assertThat(official.getSpentTimeMills()).isEqualTo(12);
        for (ConsumeDirectlyResult.Outcome outcome : ConsumeDirectlyResult.Outcome.values()) {
            assertThat(CMResult.valueOf(outcome.name())).isNotNull();
        }
        assertThat(ConsumeDirectlyResult.decode(official.encode())).isEqualTo(ours);
    }
}
