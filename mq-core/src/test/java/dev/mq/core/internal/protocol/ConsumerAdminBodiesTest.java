package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MessageQueue;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerAdminBodiesTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void resetBodyInFastjsonsObjectKeyedFormIsRead() {
        // The shape the fact sheet captured from a broker.
        Map<MessageQueue, Long> offsets = ResetOffsetBody.decode(utf8("{\"offsetTable\":{"
                + "{\"brokerName\":\"broker-a\",\"queueId\":1,\"topic\":\"TopicTest\"}:7,"
                + " {\"topic\":\"%RETRY%g\", \"queueId\":0, \"brokerName\":\"broker-b\"} : 12345678901}}"));
        assertThat(offsets).containsExactly(Map.entry(new MessageQueue("TopicTest", "broker-a", 1), 7L),
                Map.entry(new MessageQueue("%RETRY%g", "broker-b", 0), 12345678901L));
        assertThat(ResetOffsetBody.decode(ResetOffsetBody.encode(offsets))).isEqualTo(offsets);
        assertThat(ResetOffsetBody.decode(utf8("{\"offsetTable\":{}}"))).isEmpty();
        assertThat(ResetOffsetBody.decode(utf8("{}"))).isEmpty();
        assertThat(ResetOffsetBody.decode(null)).isEmpty();
    }

    @Test
    void resetBodyInTheListFormIsRead() {
        assertThat(ResetOffsetBody.decode(utf8("{\"offsetTable\":[{\"brokerName\":\"b\",\"offset\":3,\"queueId\":2,"
                + "\"topic\":\"T\"}]}"))).containsExactly(Map.entry(new MessageQueue("T", "b", 2), 3L));
    }

    @Test
    void malformedResetBodiesAreRefused() {
        for (String bad : List.of("", "[]", "{\"offsetTable\":{{\"brokerName\":\"b\",\"queueId\":1}:7}}",
                "{\"offsetTable\":{{\"brokerName\":\"b\",\"queueId\":1,\"topic\":\"T\"}:\"7\"}}",
                "{\"offsetTable\":{{\"brokerName\":\"b\",\"queueId\":-1,\"topic\":\"T\"}:7}}",
                "{\"offsetTable\":{{\"brokerName\":\"b\",\"queueId\":1,\"topic\":\"T\"}:7}", "{\"offsetTable\":5}",
                "{\"offsetTable\":{}} x", "[".repeat(10_000))) {
            if (bad.isEmpty()) {
                assertThat(ResetOffsetBody.decode(utf8(bad))).isEmpty();
                continue;
            }
            assertThatThrownBy(() -> ResetOffsetBody.decode(utf8(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void lenientReaderTakesFastjsonsDialect() {
        assertThat(FastjsonReader.read(utf8("{a:1,'b':'x\\u00e9\\n',\"c\":[true,false,null,-1.5],0:{}}")))
                .isEqualTo(new LinkedHashMap<>(Map.of("a", 1L, "b", "xé\n",
                        "c", java.util.Arrays.asList(true, false, null, new java.math.BigDecimal("-1.5")), 0L, Map.of())));
        assertThatThrownBy(() -> FastjsonReader.read(utf8("{\"a\" 1}"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FastjsonReader.read(utf8("\"open"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FastjsonReader.read(utf8("{\"a\":nope}"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runningInfoIsWrittenInFastjsonsShape() {
        ConsumerRunningInfo info = new ConsumerRunningInfo(
                Map.of(ConsumerRunningInfo.CONSUME_TYPE, "CONSUME_PASSIVELY", ConsumerRunningInfo.CONSUME_ORDERLY, "false"),
                List.of(HeartbeatBody.Subscription.tag("T", "a || b", 5)),
                Map.of(new MessageQueue("T", "broker-b", 0), ConsumerRunningInfo.QueueInfo.of(9, 0, 0, 0, 0, false, 0,
                                false, 0, 0),
                        new MessageQueue("T", "broker-a", 1), ConsumerRunningInfo.QueueInfo.of(42, 40, 41, 2,
                                3L * 1024 * 1024 + 5, true, 11, false, 12, 13)),
                Map.of("T", new ConsumerRunningInfo.TopicStatus(6, 0, 4, 3, 1.5, 2)), null);
        String json = new String(info.encode(), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"mqTable\":{"
                + "{\"brokerName\":\"broker-a\",\"queueId\":1,\"topic\":\"T\"}:{\"cachedMsgCount\":2,\"cachedMsgMaxOffset\":41,"
                + "\"cachedMsgMinOffset\":40,\"cachedMsgSizeInMiB\":3,\"commitOffset\":42,\"droped\":false,"
                + "\"lastConsumeTimestamp\":13,\"lastLockTimestamp\":11,\"lastPullTimestamp\":12,\"locked\":true,"
                + "\"transactionMsgCount\":0,\"transactionMsgMaxOffset\":0,\"transactionMsgMinOffset\":0,\"tryUnlockTimes\":0},"
                + "{\"brokerName\":\"broker-b\",\"queueId\":0,\"topic\":\"T\"}:{\"cachedMsgCount\":0,\"cachedMsgMaxOffset\":0,"
                + "\"cachedMsgMinOffset\":0,\"cachedMsgSizeInMiB\":0,\"commitOffset\":9,\"droped\":false,"
                + "\"lastConsumeTimestamp\":0,\"lastLockTimestamp\":0,\"lastPullTimestamp\":0,\"locked\":false,"
                + "\"transactionMsgCount\":0,\"transactionMsgMaxOffset\":0,\"transactionMsgMinOffset\":0,\"tryUnlockTimes\":0}},"
                + "\"properties\":{\"PROP_CONSUMEORDERLY\":\"false\",\"PROP_CONSUME_TYPE\":\"CONSUME_PASSIVELY\"},"
                + "\"statusTable\":{\"T\":{\"consumeFailedMsgs\":6,\"consumeFailedTPS\":0.0,\"consumeOKTPS\":4.0,"
                + "\"consumeRT\":3.0,\"pullRT\":1.5,\"pullTPS\":2.0}},"
                + "\"subscriptionSet\":[{\"classFilterMode\":false,\"codeSet\":[97,98],\"expressionType\":\"TAG\","
                + "\"subString\":\"a || b\",\"subVersion\":5,\"tagsSet\":[\"a\",\"b\"],\"topic\":\"T\"}]}");
        // Our own lenient reader takes it (as fastjson does), jstack escaped.
        String withJstack = new String(info.withJstack("Thread: \"main\"\n\tat x\n").encode(), StandardCharsets.UTF_8);
        assertThat(FastjsonReader.read(utf8(withJstack))).isInstanceOf(Map.class);
        assertThat(withJstack).startsWith("{\"jstack\":\"Thread: \\\"main\\\"\\n\\tat x\\n\",\"mqTable\"");
    }

    @Test
    void consumeDirectlyResultRoundTrips() {
        ConsumeDirectlyResult result = new ConsumeDirectlyResult(true,
                ConsumeDirectlyResult.Outcome.CR_THROW_EXCEPTION, true, "java.lang.IllegalStateException: x", 17);
        assertThat(new String(result.encode(), StandardCharsets.UTF_8)).isEqualTo("{\"autoCommit\":true,"
                + "\"consumeResult\":\"CR_THROW_EXCEPTION\",\"order\":true,"
                + "\"remark\":\"java.lang.IllegalStateException: x\",\"spentTimeMills\":17}");
        assertThat(ConsumeDirectlyResult.decode(result.encode())).isEqualTo(result);
    }

    @Test
    void adminHeadersAreReadFromExtFields() {
        assertThat(ConsumerAdminHeaders.RunningInfo.read(Map.of("consumerGroup", "g", "clientId", "c",
                "jstackEnable", "true"))).isEqualTo(new ConsumerAdminHeaders.RunningInfo("g", "c", true));
        assertThat(ConsumerAdminHeaders.ResetOffset.read(Map.of("topic", "T", "group", "g", "timestamp", "5",
                "isForce", "false", "queueId", "-1"))).isEqualTo(new ConsumerAdminHeaders.ResetOffset("T", "g", 5, false));
        assertThat(ConsumerAdminHeaders.ConsumeDirectly.read(Map.of("consumerGroup", "g", "msgId", "M",
                "brokerName", "b")).toMap()).isEqualTo(Map.of("consumerGroup", "g", "msgId", "M", "brokerName", "b"));
        assertThatThrownBy(() -> ConsumerAdminHeaders.ConsumerIdsChanged.read(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumerGroup");
        assertThatThrownBy(() -> ConsumerAdminHeaders.ResetOffset.read(Map.of("topic", "T", "group", "g",
                "timestamp", "x"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestamp");
    }
}
