package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SendResponseTest {

    private static final MessageQueue CHOSEN = new MessageQueue("ns%Orders", "broker-a", 3);

    @Test
    void onlyTheFourStoredCodesHaveAStatus() {
        assertThat(SendResponse.status(ResponseCode.SUCCESS)).isEqualTo(SendStatus.SEND_OK);
        assertThat(SendResponse.status(ResponseCode.FLUSH_DISK_TIMEOUT)).isEqualTo(SendStatus.FLUSH_DISK_TIMEOUT);
        assertThat(SendResponse.status(ResponseCode.FLUSH_SLAVE_TIMEOUT)).isEqualTo(SendStatus.FLUSH_SLAVE_TIMEOUT);
        assertThat(SendResponse.status(ResponseCode.SLAVE_NOT_AVAILABLE)).isEqualTo(SendStatus.SLAVE_NOT_AVAILABLE);
        assertThat(IntStream.rangeClosed(-1, 2_000).filter(code -> SendResponse.status(code) != null))
                .containsExactly(0, 10, 11, 12);
    }

    @Test
    void aSingleResultReadsTheHeaderUnderTheUsersTopic() {
        SendResult result = SendResponse.result(SendStatus.SEND_OK, Map.of("msgId", "OFF1", "queueId", "5",
                "queueOffset", "42", "transactionId", "tx"), "Orders", CHOSEN, List.of("U1"));

        assertThat(result).isEqualTo(new SendResult(SendStatus.SEND_OK, List.of("U1"), "OFF1",
                new MessageQueue("Orders", "broker-a", 5), 42, "tx"));
    }

    @Test
    void missingOrMalformedFieldsFallBackToTheChosenQueueAndNoOffset() {
        SendResult result = SendResponse.result(SendStatus.SEND_OK, Map.of("queueId", "x", "queueOffset", "y"),
                "Orders", CHOSEN, List.of("U1"));

        assertThat(result.queue()).isEqualTo(new MessageQueue("Orders", "broker-a", 3));
        assertThat(result.queueOffset()).isEqualTo(-1);
        assertThat(result.offsetMessageId()).isNull();
    }

    @Test
    void batchMembersTakeTheirOffsetIdAndConsecutiveOffsets() {
        assertThat(memberIds("A,B,C", 3)).containsExactly("A", "B", "C");
        assertThat(memberIds("A,,C", 3)).containsExactly("A", null, "C");
        assertThat(memberIds("A", 3)).containsExactly("A", null, null);
        assertThat(memberIds(null, 2)).containsExactly(null, null);
        assertThat(memberIds("", 2)).containsExactly(null, null);

        MessageQueue written = new MessageQueue("Orders", "broker-a", 3);
        assertThat(SendResponse.batchMemberResult(SendStatus.SEND_OK, List.of("U2"), "B", written, 100, 1))
                .isEqualTo(new SendResult(SendStatus.SEND_OK, List.of("U2"), "B", written, 101, null));
        assertThat(SendResponse.batchMemberResult(SendStatus.SEND_OK, List.of("U2"), "B", written, -1, 1).queueOffset())
                .isEqualTo(-1);
    }

    @Test
    void aRejectionNamesBrokerTopicAndCodeAndKeepsCodeAndRemark() {
        MQException error = SendResponse.rejection(ResponseCode.MESSAGE_ILLEGAL, "too big", "broker-a", "10.0.0.1:10911",
                "Orders", " (hint)");

        assertThat(error.reason()).isEqualTo(MQException.Reason.BROKER_REJECTED);
        assertThat(error).hasMessage("broker broker-a (10.0.0.1:10911) rejected the message to topic 'Orders': "
                + "MESSAGE_ILLEGAL (13) too big (hint)");
        assertThat(error.responseCode()).isEqualTo(13);
        assertThat(error.remark()).isEqualTo("too big");
    }

    private static List<String> memberIds(String ids, int members) {
        List<String> found = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < members; i++) {
            found.add(SendResponse.offsetIdAt(ids, from));
            from = SendResponse.nextOffsetId(ids, from);
        }
        return found;
    }
}
