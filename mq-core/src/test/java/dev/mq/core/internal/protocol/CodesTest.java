package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodesTest {

    @ParameterizedTest
    @CsvSource({
        "105, GET_ROUTEINFO_BY_TOPIC", "106, GET_BROKER_CLUSTER_INFO", "10, SEND_MESSAGE",
        "310, SEND_MESSAGE_V2", "320, SEND_BATCH_MESSAGE", "34, HEART_BEAT", "35, UNREGISTER_CLIENT",
        "37, END_TRANSACTION", "39, CHECK_TRANSACTION_STATE", "324, SEND_REPLY_MESSAGE",
        "325, SEND_REPLY_MESSAGE_V2", "326, PUSH_REPLY_MESSAGE_TO_CLIENT", "36, CONSUMER_SEND_MSG_BACK",
        "46, CHECK_CLIENT_CONFIG", "203, GET_CONSUMER_CONNECTION_LIST", "370, RECALL_MESSAGE",
        "40, NOTIFY_CONSUMER_IDS_CHANGED",
        "220, RESET_CONSUMER_CLIENT_OFFSET", "221, GET_CONSUMER_STATUS_FROM_CLIENT",
        "307, GET_CONSUMER_RUNNING_INFO", "309, CONSUME_MESSAGE_DIRECTLY"})
    void requestCodesHaveTheirWireValueAndName(int code, String name) throws Exception {
        assertThat(RequestCode.class.getField(name).getInt(null)).isEqualTo(code);
        assertThat(RequestCode.name(code)).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource({
        "0, SUCCESS", "1, SYSTEM_ERROR", "2, SYSTEM_BUSY", "3, REQUEST_CODE_NOT_SUPPORTED",
        "4, TRANSACTION_FAILED", "10, FLUSH_DISK_TIMEOUT", "11, SLAVE_NOT_AVAILABLE",
        "12, FLUSH_SLAVE_TIMEOUT", "13, MESSAGE_ILLEGAL", "14, SERVICE_NOT_AVAILABLE",
        "15, VERSION_NOT_SUPPORTED", "16, NO_PERMISSION", "17, TOPIC_NOT_EXIST", "29, INVALID_PARAMETER",
        "204, NO_BUYER_ID", "205, NOT_IN_CURRENT_UNIT", "215, FLOW_CONTROL", "501, NOT_LEADER_FOR_QUEUE",
        "604, ILLEGAL_OPERATION", "1500, GO_AWAY"})
    void responseCodesHaveTheirWireValueAndName(int code, String name) throws Exception {
        assertThat(ResponseCode.class.getField(name).getInt(null)).isEqualTo(code);
        assertThat(ResponseCode.name(code)).isEqualTo(name);
    }

    @Test
    void unknownCodesAreNamedByNumber() {
        assertThat(ResponseCode.name(209)).isEqualTo("CODE_209");
        assertThat(RequestCode.name(-7)).isEqualTo("CODE_-7");
    }

    @Test
    void retryableSetIsExactlyThe531Set() {
        Set<Integer> retryable = new TreeSet<>();
        IntStream.rangeClosed(-1, 70_000).filter(ResponseCode::isRetryable).forEach(retryable::add);
        assertThat(retryable).containsExactly(1, 2, 14, 16, 17, 204, 205, 1500);
    }

    @Test
    void storedWithWarningCodesAreNotRetryable() {
        assertThat(ResponseCode.isRetryable(ResponseCode.FLUSH_DISK_TIMEOUT)).isFalse();
        assertThat(ResponseCode.isRetryable(ResponseCode.SLAVE_NOT_AVAILABLE)).isFalse();
        assertThat(ResponseCode.isRetryable(ResponseCode.FLUSH_SLAVE_TIMEOUT)).isFalse();
        assertThat(ResponseCode.isRetryable(ResponseCode.MESSAGE_ILLEGAL)).isFalse();
    }

    @Test
    void aclRefusalsOfEitherLineAreRecognisedAndNothingElse() {
        assertThat(ResponseCode.isAclRefusal(ResponseCode.NO_PERMISSION, null)).isTrue();
        // What a 4.9 broker's ACL 1.0 validator answers: its exception as SYSTEM_ERROR.
        assertThat(ResponseCode.isAclRefusal(ResponseCode.SYSTEM_ERROR,
                "org.apache.rocketmq.acl.common.AclException: Check signature failed for accessKey=u")).isTrue();
        assertThat(ResponseCode.isAclRefusal(ResponseCode.SYSTEM_ERROR, "java.lang.NullPointerException")).isFalse();
        assertThat(ResponseCode.isAclRefusal(ResponseCode.SYSTEM_ERROR, null)).isFalse();
        assertThat(ResponseCode.isAclRefusal(ResponseCode.SYSTEM_BUSY, "AclException")).isFalse();
    }
}
