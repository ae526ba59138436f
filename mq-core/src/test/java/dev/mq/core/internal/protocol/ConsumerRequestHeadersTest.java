package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerRequestHeadersTest {

    @Test
    void pullHeaderHasTheCapturedFields() {
        PullMessageRequestHeader h = new PullMessageRequestHeader("CG", "TopicTest", 0, 100, 32,
                PullSysFlag.of(true, true, true), 90, 15_000, "TagA || TagB", 1700000000000L, "TAG", "broker-a");

        // The captured 5.3.3 request's extFields, less maxMsgBytes (the 5.3.3 broker never reads it).
        assertThat(h.toMap()).isEqualTo(Map.ofEntries(
                Map.entry("queueId", "0"), Map.entry("maxMsgNums", "32"), Map.entry("sysFlag", "7"),
                Map.entry("commitOffset", "90"), Map.entry("subscription", "TagA || TagB"),
                Map.entry("suspendTimeoutMillis", "15000"), Map.entry("bname", "broker-a"),
                Map.entry("topic", "TopicTest"), Map.entry("queueOffset", "100"), Map.entry("expressionType", "TAG"),
                Map.entry("subVersion", "1700000000000"), Map.entry("consumerGroup", "CG")));
    }

    @Test
    void pullHeaderLeavesOutAbsentOptionalsButNeverARequiredField() {
        PullMessageRequestHeader h = new PullMessageRequestHeader("CG", "T", 3, 0, 32, PullSysFlag.SUSPEND, -1,
                15_000, null, 0, null, null);

        assertThat(h.toMap()).containsOnlyKeys("consumerGroup", "topic", "queueId", "queueOffset", "maxMsgNums",
                "sysFlag", "commitOffset", "suspendTimeoutMillis", "subVersion");
        assertThat(h.toMap()).containsEntry("commitOffset", "-1").containsEntry("sysFlag", "2");
    }

    @Test
    void pullHeaderRefusesASubscriptionFlagWithoutExpression() {
        assertThatThrownBy(() -> new PullMessageRequestHeader("CG", "T", 0, 0, 32, PullSysFlag.of(false, true, true),
                -1, 15_000, null, 0, "TAG", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void offsetHeaders() {
        assertThat(new ConsumerOffsetHeaders.Query("CG", "T", 2, null, null).toMap())
                .isEqualTo(Map.of("consumerGroup", "CG", "topic", "T", "queueId", "2"));
        assertThat(new ConsumerOffsetHeaders.Query("CG", "T", 2, false, "b").toMap())
                .isEqualTo(Map.of("consumerGroup", "CG", "topic", "T", "queueId", "2", "setZeroIfNotFound", "false",
                        "bname", "b"));
        assertThat(new ConsumerOffsetHeaders.Update("CG", "T", 2, 1234567890123L, "b").toMap())
                .isEqualTo(Map.of("consumerGroup", "CG", "topic", "T", "queueId", "2",
                        "commitOffset", "1234567890123", "bname", "b"));
    }

    @Test
    void sendBackHeaderMatchesTheCapturedOne() {
        ConsumerSendMsgBackHeader h = new ConsumerSendMsgBackHeader(123456, "CG",
                ConsumerSendMsgBackHeader.DELAY_CHOSEN_BY_BROKER, "C0A80001", "TopicTest", 16, "broker-a");

        assertThat(h.toMap()).isEqualTo(Map.of("maxReconsumeTimes", "16", "offset", "123456", "bname", "broker-a",
                "delayLevel", "0", "originTopic", "TopicTest", "originMsgId", "C0A80001", "unitMode", "false",
                "group", "CG"));
        assertThat(new ConsumerSendMsgBackHeader(5, "CG", ConsumerSendMsgBackHeader.DELAY_TO_DLQ, null, null, null,
                null).toMap()).isEqualTo(Map.of("offset", "5", "group", "CG", "delayLevel", "-1", "unitMode", "false"));
    }
}
