package dev.mq.core.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.ConsumeDirectlyResult;
import dev.mq.core.internal.protocol.ConsumerAdminHeaders;
import dev.mq.core.internal.protocol.ConsumerRunningInfo;
import dev.mq.core.internal.protocol.HeartbeatBody;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.RequestFields;
import dev.mq.core.internal.protocol.ResetOffsetBody;
import dev.mq.core.internal.protocol.StoredMessage;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.testing.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ConsumerAdminRequestsTest {

    private static final String BROKER = "127.0.0.1:10911";
    private static final int ONEWAY = 0x2;

    /** A client with one consumer, of group "billing". */
    private final class FakeConsumers implements ConsumerAdminRequests.Consumers {
        final List<String> idsChanged = new ArrayList<>();
        final List<Object[]> resets = new ArrayList<>();
        final List<StoredMessage> direct = new ArrayList<>();
        CompletableFuture<ConsumeDirectlyResult> directResult = CompletableFuture.completedFuture(
                new ConsumeDirectlyResult(true, ConsumeDirectlyResult.Outcome.CR_SUCCESS, false, null, 3));

        @Override
        public void consumerIdsChanged(String group) {
            idsChanged.add(group);
        }

        @Override
        public @Nullable ConsumerRunningInfo runningInfo(String group) {
            return group.equals("billing") ? INFO : null;
        }

        @Override
        public @Nullable CompletionStage<ConsumeDirectlyResult> consumeDirectly(String group, StoredMessage message,
                                                                                @Nullable String brokerName) {
            if (!group.equals("billing")) {
                return null;
            }
            direct.add(message);
            return directResult;
        }

        @Override
        public void resetOffsets(String group, String topic, Map<MessageQueue, Long> offsets) {
            resets.add(new Object[] {group, topic, offsets});
        }
    }

    private static final ConsumerRunningInfo INFO = new ConsumerRunningInfo(
            Map.of(ConsumerRunningInfo.CONSUME_TYPE, "CONSUME_PASSIVELY"),
            List.of(HeartbeatBody.Subscription.tag("Orders", "*", 1)),
            Map.of(new MessageQueue("Orders", "broker-a", 0),
                    ConsumerRunningInfo.QueueInfo.of(42, 40, 41, 2, 10, false, 0, false, 5, 6)),
            Map.of(), null);

    private final FakeConsumers consumers = new FakeConsumers();
    private final ConsumerAdminRequests admin = new ConsumerAdminRequests(consumers, Duration.ofMillis(200));

    private static RemotingCommand request(int code, RequestFields fields, byte @Nullable [] body, int flag) {
        return new RemotingCommand(code, "JAVA", 0, 77, flag, null, fields.toMap(), body);
    }

    private static String text(OutboundFrame frame) {
        byte[] body = frame.body();
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void servesTheFourCodesAndRefusesOthersAsTheOfficialClientDoes() {
        assertThat(ConsumerAdminRequests.CODES).containsExactlyInAnyOrder(40, 220, 307, 309);
        OutboundFrame refused = admin.handle(BROKER, request(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT,
                new ConsumerAdminHeaders.ConsumerIdsChanged("billing"), null, 0));
        assertThat(refused.code()).isEqualTo(3);
    }

    @Test
    void consumerIdsChangedAsksForARebalanceAndAnswersNothing() {
        assertThat(admin.handle(BROKER, request(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED,
                new ConsumerAdminHeaders.ConsumerIdsChanged("billing"), null, ONEWAY))).isNull();
        assertThat(consumers.idsChanged).containsExactly("billing");
        // A notice without a group is dropped, not fatal.
        assertThat(admin.handle(BROKER, new RemotingCommand(40, "JAVA", 0, 1, ONEWAY, null, Map.of(), null))).isNull();
        assertThat(consumers.idsChanged).hasSize(1);
    }

    @Test
    void runningInfoAnswersTheBodyOrTheOfficialRemarkForAnUnknownGroup() {
        OutboundFrame answer = admin.handle(BROKER, request(RequestCode.GET_CONSUMER_RUNNING_INFO,
                new ConsumerAdminHeaders.RunningInfo("billing", "10.0.0.1@1", false), null, 0));
        assertThat(answer.code()).isZero();
        assertThat(answer.isOneway()).isFalse();
        assertThat(text(answer)).startsWith("{\"mqTable\":{{\"brokerName\":\"broker-a\",\"queueId\":0,\"topic\":\"Orders\"}:")
                .contains("\"commitOffset\":42").doesNotContain("jstack");

        OutboundFrame withDump = admin.handle(BROKER, request(RequestCode.GET_CONSUMER_RUNNING_INFO,
                new ConsumerAdminHeaders.RunningInfo("billing", null, true), null, 0));
        assertThat(text(withDump)).startsWith("{\"jstack\":\"Thread: ").contains("ConsumerAdminRequestsTest");

        OutboundFrame unknown = admin.handle(BROKER, request(RequestCode.GET_CONSUMER_RUNNING_INFO,
                new ConsumerAdminHeaders.RunningInfo("shipping", null, false), null, 0));
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.remark()).isEqualTo("The Consumer Group <shipping> not exist in this consumer");
    }

    @Test
    void consumeDirectlyRunsTheDecodedMessageAndAnswersItsResult() {
        StoredRecord record = new StoredRecord();
        record.topic = "Orders";
        record.properties.put("UNIQ_KEY", "ID-1");
        ConsumerAdminHeaders.ConsumeDirectly header = new ConsumerAdminHeaders.ConsumeDirectly("billing", "c",
                "0A0102030000", "broker-a", "Orders");
        OutboundFrame answer = admin.handle(BROKER, request(RequestCode.CONSUME_MESSAGE_DIRECTLY, header,
                record.bytes(), 0));
        assertThat(answer.code()).isZero();
        assertThat(ConsumeDirectlyResult.decode(java.util.Objects.requireNonNull(answer.body()))).isEqualTo(
                new ConsumeDirectlyResult(true, ConsumeDirectlyResult.Outcome.CR_SUCCESS, false, null, 3));
        assertThat(consumers.direct).singleElement().satisfies(m -> {
            assertThat(m.topic()).isEqualTo("Orders");
            assertThat(m.messageId()).isEqualTo("ID-1");
        });

        OutboundFrame unknown = admin.handle(BROKER, request(RequestCode.CONSUME_MESSAGE_DIRECTLY,
                new ConsumerAdminHeaders.ConsumeDirectly("shipping", null, null, null, null), record.bytes(), 0));
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.remark()).isEqualTo("The Consumer Group <shipping> not exist in this consumer");

        OutboundFrame garbage = admin.handle(BROKER, request(RequestCode.CONSUME_MESSAGE_DIRECTLY, header,
                new byte[] {1, 2, 3}, 0));
        assertThat(garbage.code()).isEqualTo(1);
        assertThat(garbage.remark()).startsWith("cannot read the message");
        assertThat(consumers.direct).hasSize(1);
    }

    @Test
    void consumeDirectlyAnswersAnErrorWhenTheListenerOutlastsTheWaitOrFails() {
        byte[] record = new StoredRecord().bytes();
        ConsumerAdminHeaders.ConsumeDirectly header = new ConsumerAdminHeaders.ConsumeDirectly("billing", null, null,
                null, null);
        consumers.directResult = new CompletableFuture<>();
        OutboundFrame late = admin.handle(BROKER, request(RequestCode.CONSUME_MESSAGE_DIRECTLY, header, record, 0));
        assertThat(late.code()).isEqualTo(1);
        assertThat(late.remark()).contains("did not finish within 200 ms");

        consumers.directResult = CompletableFuture.failedFuture(new IllegalStateException("consumer closing"));
        OutboundFrame failed = admin.handle(BROKER, request(RequestCode.CONSUME_MESSAGE_DIRECTLY, header, record, 0));
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.remark()).contains("consumer closing");
    }

    @Test
    void resetHandsTheDecodedOffsetsOverAndAnswersNothing() {
        Map<MessageQueue, Long> offsets = new LinkedHashMap<>();
        offsets.put(new MessageQueue("Orders", "broker-a", 1), 7L);
        offsets.put(new MessageQueue("Orders", "broker-b", 0), 0L);
        ConsumerAdminHeaders.ResetOffset header = new ConsumerAdminHeaders.ResetOffset("Orders", "billing",
                1_700_000_000_000L, true);
        assertThat(admin.handle(BROKER, request(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, header,
                ResetOffsetBody.encode(offsets), ONEWAY))).isNull();
        assertThat(consumers.resets).singleElement().satisfies(r ->
                assertThat(r).containsExactly("billing", "Orders", offsets));

        // Without a body, or with one that does not parse, nothing is reset.
        admin.handle(BROKER, request(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, header, null, ONEWAY));
        admin.handle(BROKER, request(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, header,
                "{\"offsetTable\":{{\"topic\":\"Orders\"}:1}}".getBytes(StandardCharsets.UTF_8), ONEWAY));
        assertThat(consumers.resets).hasSize(1);
    }
}
