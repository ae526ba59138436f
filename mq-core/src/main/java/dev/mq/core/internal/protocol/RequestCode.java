package dev.mq.core.internal.protocol;

/**
 * Request codes of the remoting protocol that a producer or a consumer sends or must answer.
 *
 * <p>The header carries the code as a plain int; the binary header narrows it to int16, which every
 * code here fits.
 */
public final class RequestCode {

    /** Client to broker: a single message with the long-named header (V1). */
    public static final int SEND_MESSAGE = 10;
    /** Consumer to broker: read messages of one queue from an offset, long-polled. */
    public static final int PULL_MESSAGE = 11;
    /** Consumer to broker: a group's committed offset for one queue (22 when none). */
    public static final int QUERY_CONSUMER_OFFSET = 14;
    /** Consumer to broker, oneway in the official client: commit a group's offset for one queue. */
    public static final int UPDATE_CONSUMER_OFFSET = 15;
    /** Consumer to broker: the queue offset of the first message stored at or after a time. */
    public static final int SEARCH_OFFSET_BY_TIMESTAMP = 29;
    /** Consumer to broker: a queue's max offset (the next one to be written). */
    public static final int GET_MAX_OFFSET = 30;
    /** Consumer to broker: a queue's smallest stored offset. */
    public static final int GET_MIN_OFFSET = 31;
    /** Client to broker: heartbeat carrying the producer groups of this client. */
    public static final int HEART_BEAT = 34;
    /** Client to broker at shutdown: forget this client id for a group. */
    public static final int UNREGISTER_CLIENT = 35;
    /** Consumer to broker: send a failed message to the group's retry (or dead-letter) topic. */
    public static final int CONSUMER_SEND_MSG_BACK = 36;
    /** Client to broker, oneway: commit or roll back a half message. */
    public static final int END_TRANSACTION = 37;
    /** Consumer to broker: the client ids of a group's live members. */
    public static final int GET_CONSUMER_LIST_BY_GROUP = 38;
    /** Broker to client, oneway: asks the fate of a half message. */
    public static final int CHECK_TRANSACTION_STATE = 39;
    /** Broker to consumer; a producer answers it with {@link ResponseCode#REQUEST_CODE_NOT_SUPPORTED} or ignores it. */
    public static final int NOTIFY_CONSUMER_IDS_CHANGED = 40;
    /** Orderly consumer to broker: take (or renew) the group's lock on queues. */
    public static final int LOCK_BATCH_MQ = 41;
    /** Orderly consumer to broker: give queue locks back. */
    public static final int UNLOCK_BATCH_MQ = 42;
    /** Client to broker: consumer filter check. */
    public static final int CHECK_CLIENT_CONFIG = 46;
    /** Client to name server: the route of one topic. */
    public static final int GET_ROUTEINFO_BY_TOPIC = 105;
    /** Client to name server: all brokers and clusters. */
    public static final int GET_BROKER_CLUSTER_INFO = 106;
    /** Client to broker: a consumer group's members and the subscription table the broker keeps for it. */
    public static final int GET_CONSUMER_CONNECTION_LIST = 203;
    /** Broker to consumer. */
    public static final int RESET_CONSUMER_CLIENT_OFFSET = 220;
    /** Broker to consumer. */
    public static final int GET_CONSUMER_STATUS_FROM_CLIENT = 221;
    /** Broker to consumer. */
    public static final int GET_CONSUMER_RUNNING_INFO = 307;
    /** Broker to consumer. */
    public static final int CONSUME_MESSAGE_DIRECTLY = 309;
    /** Client to broker: a single message with the one-letter header (V2); what the official client sends. */
    public static final int SEND_MESSAGE_V2 = 310;
    /** Client to broker: a batch body with the V2 header and {@code m=true}. */
    public static final int SEND_BATCH_MESSAGE = 320;
    /** Replier to broker: a reply with the V1 header. */
    public static final int SEND_REPLY_MESSAGE = 324;
    /** Replier to broker: a reply with the V2 header. */
    public static final int SEND_REPLY_MESSAGE_V2 = 325;
    /** Broker to requester, synchronous: delivers a reply; answer {@link ResponseCode#SUCCESS}. */
    public static final int PUSH_REPLY_MESSAGE_TO_CLIENT = 326;
    /** Client to broker, 5.3.2+ only. */
    public static final int RECALL_MESSAGE = 370;

    private RequestCode() {
    }

    /** A readable name for logs: the constant's name, or {@code CODE_n} for a code not listed here. */
    public static String name(int code) {
        return switch (code) {
            case SEND_MESSAGE -> "SEND_MESSAGE";
            case PULL_MESSAGE -> "PULL_MESSAGE";
            case QUERY_CONSUMER_OFFSET -> "QUERY_CONSUMER_OFFSET";
            case UPDATE_CONSUMER_OFFSET -> "UPDATE_CONSUMER_OFFSET";
            case SEARCH_OFFSET_BY_TIMESTAMP -> "SEARCH_OFFSET_BY_TIMESTAMP";
            case GET_MAX_OFFSET -> "GET_MAX_OFFSET";
            case GET_MIN_OFFSET -> "GET_MIN_OFFSET";
            case GET_CONSUMER_LIST_BY_GROUP -> "GET_CONSUMER_LIST_BY_GROUP";
            case LOCK_BATCH_MQ -> "LOCK_BATCH_MQ";
            case UNLOCK_BATCH_MQ -> "UNLOCK_BATCH_MQ";
            case HEART_BEAT -> "HEART_BEAT";
            case UNREGISTER_CLIENT -> "UNREGISTER_CLIENT";
            case CONSUMER_SEND_MSG_BACK -> "CONSUMER_SEND_MSG_BACK";
            case END_TRANSACTION -> "END_TRANSACTION";
            case CHECK_TRANSACTION_STATE -> "CHECK_TRANSACTION_STATE";
            case NOTIFY_CONSUMER_IDS_CHANGED -> "NOTIFY_CONSUMER_IDS_CHANGED";
            case CHECK_CLIENT_CONFIG -> "CHECK_CLIENT_CONFIG";
            case GET_ROUTEINFO_BY_TOPIC -> "GET_ROUTEINFO_BY_TOPIC";
            case GET_BROKER_CLUSTER_INFO -> "GET_BROKER_CLUSTER_INFO";
            case GET_CONSUMER_CONNECTION_LIST -> "GET_CONSUMER_CONNECTION_LIST";
            case RESET_CONSUMER_CLIENT_OFFSET -> "RESET_CONSUMER_CLIENT_OFFSET";
            case GET_CONSUMER_STATUS_FROM_CLIENT -> "GET_CONSUMER_STATUS_FROM_CLIENT";
            case GET_CONSUMER_RUNNING_INFO -> "GET_CONSUMER_RUNNING_INFO";
            case CONSUME_MESSAGE_DIRECTLY -> "CONSUME_MESSAGE_DIRECTLY";
            case SEND_MESSAGE_V2 -> "SEND_MESSAGE_V2";
            case SEND_BATCH_MESSAGE -> "SEND_BATCH_MESSAGE";
            case SEND_REPLY_MESSAGE -> "SEND_REPLY_MESSAGE";
            case SEND_REPLY_MESSAGE_V2 -> "SEND_REPLY_MESSAGE_V2";
            case PUSH_REPLY_MESSAGE_TO_CLIENT -> "PUSH_REPLY_MESSAGE_TO_CLIENT";
            case RECALL_MESSAGE -> "RECALL_MESSAGE";
            default -> "CODE_" + code;
        };
    }
}
