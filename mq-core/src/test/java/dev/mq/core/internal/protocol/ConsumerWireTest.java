package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.HeartbeatBody.ConsumeFromWhere;
import dev.mq.core.internal.protocol.HeartbeatBody.ConsumerGroup;
import dev.mq.core.internal.protocol.HeartbeatBody.MessageModel;
import dev.mq.core.internal.protocol.HeartbeatBody.Subscription;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The consumer's wire vocabulary: codes, pull flags, heartbeat consumer part, list, lock and pull-answer formats. */
class ConsumerWireTest {

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({
        "11, PULL_MESSAGE", "14, QUERY_CONSUMER_OFFSET", "15, UPDATE_CONSUMER_OFFSET",
        "29, SEARCH_OFFSET_BY_TIMESTAMP", "30, GET_MAX_OFFSET", "31, GET_MIN_OFFSET",
        "38, GET_CONSUMER_LIST_BY_GROUP", "41, LOCK_BATCH_MQ", "42, UNLOCK_BATCH_MQ"})
    void consumerRequestCodesHaveTheirWireValueAndName(int code, String name) throws Exception {
        assertThat(RequestCode.class.getField(name).getInt(null)).isEqualTo(code);
        assertThat(RequestCode.name(code)).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource({
        "19, PULL_NOT_FOUND", "20, PULL_RETRY_IMMEDIATELY", "21, PULL_OFFSET_MOVED", "22, QUERY_NOT_FOUND",
        "23, SUBSCRIPTION_PARSE_FAILED", "24, SUBSCRIPTION_NOT_EXIST", "25, SUBSCRIPTION_NOT_LATEST",
        "26, SUBSCRIPTION_GROUP_NOT_EXIST", "27, FILTER_DATA_NOT_EXIST", "28, FILTER_DATA_NOT_LATEST",
        "206, CONSUMER_NOT_ONLINE", "207, CONSUME_MSG_TIMEOUT"})
    void consumerResponseCodesHaveTheirWireValueAndName(int code, String name) throws Exception {
        assertThat(ResponseCode.class.getField(name).getInt(null)).isEqualTo(code);
        assertThat(ResponseCode.name(code)).isEqualTo(name);
        // Pull outcomes are answers about a queue, not broker failures a send would retry elsewhere.
        assertThat(ResponseCode.isRetryable(code)).isFalse();
    }

    @Test
    void pullSysFlagBitsAreTheProtocols() {
        assertThat(PullSysFlag.COMMIT_OFFSET).isEqualTo(0x1);
        assertThat(PullSysFlag.SUSPEND).isEqualTo(0x2);
        assertThat(PullSysFlag.SUBSCRIPTION).isEqualTo(0x4);
        assertThat(PullSysFlag.CLASS_FILTER).isEqualTo(0x8);
        assertThat(PullSysFlag.LITE_PULL_MESSAGE).isEqualTo(0x10);
        // The fact sheet's captured request: commit + suspend + subscription = 7; 6 without commit.
        assertThat(PullSysFlag.of(true, true, true)).isEqualTo(7);
        assertThat(PullSysFlag.of(false, true, true)).isEqualTo(6);
        assertThat(PullSysFlag.of(true, true, false)).isEqualTo(3);
        assertThat(PullSysFlag.withoutCommitOffset(7)).isEqualTo(6);
        assertThat(PullSysFlag.hasCommitOffset(7)).isTrue();
        assertThat(PullSysFlag.hasCommitOffset(6)).isFalse();
        assertThat(PullSysFlag.hasSuspend(2)).isTrue();
        assertThat(PullSysFlag.hasSuspend(5)).isFalse();
        assertThat(PullSysFlag.hasSubscription(4)).isTrue();
        assertThat(PullSysFlag.hasSubscription(3)).isFalse();
    }

    @Test
    void heartbeatConsumerPartMatchesTheOfficialBody() {
        Subscription retry = Subscription.tag("%RETRY%CG", "*", 1700000000001L);
        Subscription topic = Subscription.tag("TopicTest", "TagA || TagB", 1700000000000L);
        ConsumerGroup group = ConsumerGroup.push("CG", MessageModel.CLUSTERING,
                ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET, List.of(retry, topic));

        byte[] body = HeartbeatBody.encode("10.0.0.1@12345#1700000000000", List.of(), List.of(group));

        // The 4.9.8 form of the captured 5.3.3 body (without heartbeatFingerprint and withoutSub).
        assertThat(utf8(body)).isEqualTo("{\"clientID\":\"10.0.0.1@12345#1700000000000\",\"consumerDataSet\":[{"
                + "\"consumeFromWhere\":\"CONSUME_FROM_LAST_OFFSET\",\"consumeType\":\"CONSUME_PASSIVELY\","
                + "\"groupName\":\"CG\",\"messageModel\":\"CLUSTERING\",\"subscriptionDataSet\":["
                + "{\"classFilterMode\":false,\"codeSet\":[],\"expressionType\":\"TAG\",\"subString\":\"*\","
                + "\"subVersion\":1700000000001,\"tagsSet\":[],\"topic\":\"%RETRY%CG\"},"
                + "{\"classFilterMode\":false,\"codeSet\":[2598919,2598920],\"expressionType\":\"TAG\","
                + "\"subString\":\"TagA || TagB\",\"subVersion\":1700000000000,\"tagsSet\":[\"TagA\",\"TagB\"],"
                + "\"topic\":\"TopicTest\"}],\"unitMode\":false}],\"producerDataSet\":[]}");
    }

    @Test
    void oneHeartbeatCarriesProducerAndConsumerGroups() {
        ConsumerGroup group = ConsumerGroup.push("CG", MessageModel.BROADCASTING,
                ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, List.of(Subscription.sql92("T", "a > 1", 5)));

        Map<?, ?> parsed = ProtocolJson.MAPPER.readValue(
                HeartbeatBody.encode("c", List.of("PG"), List.of(group)), Map.class);

        assertThat(parsed.get("producerDataSet")).isEqualTo(List.of(Map.of("groupName", "PG")));
        List<?> consumers = (List<?>) parsed.get("consumerDataSet");
        assertThat(consumers).hasSize(1);
        Map<?, ?> consumer = (Map<?, ?>) consumers.get(0);
        assertThat(consumer.get("messageModel")).isEqualTo("BROADCASTING");
        assertThat(consumer.get("consumeFromWhere")).isEqualTo("CONSUME_FROM_FIRST_OFFSET");
        Map<?, ?> sub = (Map<?, ?>) ((List<?>) consumer.get("subscriptionDataSet")).get(0);
        assertThat(sub.get("expressionType")).isEqualTo("SQL92");
        assertThat(sub.get("subString")).isEqualTo("a > 1");
        assertThat(sub.get("tagsSet")).isEqualTo(List.of());
    }

    @Test
    void tagExpressionsSplitTrimAndHashLikeTheOfficialClient() {
        Subscription s = Subscription.tag("T", " A ||B|| ||A||  C ", 1);
        assertThat(s.tagsSet()).containsExactly("A", "B", "C");
        assertThat(s.codeSet()).containsExactly("A".hashCode(), "B".hashCode(), "C".hashCode());
        assertThat(s.subString()).isEqualTo(" A ||B|| ||A||  C ");

        Subscription all = Subscription.tag("T", "", 1);
        assertThat(all.subString()).isEqualTo("*");
        assertThat(all.tagsSet()).isEmpty();
        assertThat(all.codeSet()).isEmpty();
        assertThat(Subscription.tag("T", "TagA", 1).codeSet()).containsExactly(2598919);
    }

    @Test
    void consumerListIsReadInBrokerOrder() {
        assertThat(ConsumerListBody.decode(
                "{\"consumerIdList\":[\"127.0.0.1@c2\",\"127.0.0.1@c1\"]}".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("127.0.0.1@c2", "127.0.0.1@c1");
        assertThat(ConsumerListBody.decode("{}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(ConsumerListBody.decode(ConsumerListBody.encode(List.of("a", "b")))).containsExactly("a", "b");
        assertThatThrownBy(() -> ConsumerListBody.decode("{\"consumerIdList\":[null]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsumerListBody.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lockRequestMatchesTheCapturedBodyWithoutOnlyThisBroker() {
        byte[] body = LockBatchBody.encodeRequest("10.0.0.1@12345#1", "CG", List.of(
                new MessageQueue("TopicTest", "broker-a", 1), new MessageQueue("TopicTest", "broker-a", 0)));
        assertThat(utf8(body)).isEqualTo("{\"clientId\":\"10.0.0.1@12345#1\",\"consumerGroup\":\"CG\",\"mqSet\":["
                + "{\"brokerName\":\"broker-a\",\"queueId\":1,\"topic\":\"TopicTest\"},"
                + "{\"brokerName\":\"broker-a\",\"queueId\":0,\"topic\":\"TopicTest\"}]}");
    }

    @Test
    void lockAnswerListsTheQueuesNowHeld() {
        byte[] answer = ("{\"lockOKMQSet\":[{\"brokerName\":\"broker-a\",\"queueId\":1,\"topic\":\"TopicTest\"},"
                + "{\"topic\":\"TopicTest\",\"queueId\":3,\"brokerName\":\"broker-b\"}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(LockBatchBody.decodeLocked(answer)).isEqualTo(Set.of(
                new MessageQueue("TopicTest", "broker-a", 1), new MessageQueue("TopicTest", "broker-b", 3)));
        assertThat(LockBatchBody.decodeLocked("{\"lockOKMQSet\":[]}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(LockBatchBody.decodeLocked(null)).isEmpty();
        assertThatThrownBy(() -> LockBatchBody.decodeLocked(
                "{\"lockOKMQSet\":[{\"queueId\":1}]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pullAnswerHeaderIsReadFromExtFields() {
        // The captured 5.3.3 answer; 4.9.7 sends the same without the two sysflag fields.
        PullResponseHeader h = PullResponseHeader.read(Map.of("suggestWhichBrokerId", "0", "groupSysFlag", "0",
                "nextBeginOffset", "12", "maxOffset", "12", "minOffset", "0", "topicSysFlag", "0"));
        assertThat(h).isEqualTo(new PullResponseHeader(12, 0, 12, 0, 0));

        PullResponseHeader slave = PullResponseHeader.read(Map.of("nextBeginOffset", "40", "minOffset", "3",
                "maxOffset", "90", "suggestWhichBrokerId", "1", "offsetDelta", "1000"));
        assertThat(slave).isEqualTo(new PullResponseHeader(40, 3, 90, 1, 1000));
    }

    @Test
    void pullAnswerWithoutNextOffsetOrWithGarbageIsRefused() {
        assertThatThrownBy(() -> PullResponseHeader.read(Map.of("minOffset", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nextBeginOffset");
        assertThatThrownBy(() -> PullResponseHeader.read(Map.of("nextBeginOffset", "1", "maxOffset", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxOffset");
    }

    /** The fact sheet's worked 158-byte record (§6.2), as a 5.3.3 broker stores it. */
    private static byte[] workedRecord() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HexFormat.of().parseHex("0000009e" + "daa320a7" + "58932aac" + "00000001" + "00000000"
                + "0000000000000005" + "0000000000001234" + "00000000" + "0000018bcfe56800" + "0a000001" + "0000c350"
                + "0000018bcfe56805" + "c0a8010a" + "00002a9f" + "00000000" + "0000000000000000" + "00000002" + "6869"
                + "09" + "546f70696354657374" + "0038"));
        out.writeBytes("k\u0001v\u0002UNIQ_KEY\u00010A00000130391B6D3586075BCD150001\u0002TAGS\u0001TagA\u0002"
                .getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void pullBodyOfWorkedRecordsDecodesEachOne() {
        byte[] record = workedRecord();
        assertThat(record).hasSize(158);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(record);
        body.writeBytes(record);

        List<StoredMessage> messages = StoredMessage.decodeAll(body.toByteArray());

        assertThat(messages).hasSize(2);
        for (StoredMessage m : messages) {
            assertThat(m.topic()).isEqualTo("TopicTest");
            assertThat(m.queueId()).isEqualTo(1);
            assertThat(m.queueOffset()).isEqualTo(5);
            assertThat(m.physicalOffset()).isEqualTo(0x1234);
            assertThat(m.body()).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
            assertThat(m.messageId()).isEqualTo("0A00000130391B6D3586075BCD150001");
            assertThat(m.offsetMessageId()).isEqualTo("C0A8010A00002A9F0000000000001234");
            assertThat(m.property("TAGS")).isEqualTo("TagA");
            assertThat(m.storeHost()).isEqualTo("192.168.1.10:10911");
        }
    }

    @Test
    void pullBodyWithATruncatedLastRecordIsRefused() {
        byte[] record = workedRecord();
        byte[] body = new byte[record.length + 100];
        System.arraycopy(record, 0, body, 0, record.length);
        System.arraycopy(record, 0, body, record.length, 100);

        assertThatThrownBy(() -> StoredMessage.decodeAll(body)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConsumerConnectionListAnswerGivesTheMembersAndTheGroupsSubscriptionTable() {
        // As a 5.x broker writes it (fastjson: sets as arrays, enums as names).
        String body = "{\"connectionSet\":[{\"clientAddr\":\"127.0.0.1:50000\",\"clientId\":\"10.0.0.1@a\","
                + "\"language\":\"JAVA\",\"version\":479}],\"consumeFromWhere\":\"CONSUME_FROM_LAST_OFFSET\","
                + "\"consumeType\":\"CONSUME_PASSIVELY\",\"messageModel\":\"CLUSTERING\",\"subscriptionTable\":{"
                + "\"Orders\":{\"classFilterMode\":false,\"codeSet\":[3433164],\"expressionType\":\"TAG\","
                + "\"subString\":\"paid\",\"subVersion\":1700000000000,\"tagsSet\":[\"paid\"],\"topic\":\"Orders\"}}}";
        ConsumerConnectionBody group = ConsumerConnectionBody.decode(body.getBytes(StandardCharsets.UTF_8));
        assertThat(group.clientIds()).containsExactly("10.0.0.1@a");
        assertThat(group.subscriptions()).containsOnlyKeys("Orders");
        assertThat(group.subscriptions().get("Orders")).isEqualTo(Subscription.tag("Orders", "paid", 1_700_000_000_000L));
        assertThat(ConsumerConnectionBody.decode(group.encode())).isEqualTo(group);
        assertThatThrownBy(() -> ConsumerConnectionBody.decode("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
