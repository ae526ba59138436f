package dev.mq.core.internal.protocol;

/**
 * Request codes of the remoting protocol that a producer sends or must answer.
 *
 * <p>The header carries the code as a plain int; the binary header narrows it to int16, which every
 * code here fits.
 */
public final class RequestCode {

    /** Client to broker: a single message with the long-named header (V1). */
    public static final int SEND_MESSAGE = 10;
    /** Client to broker: heartbeat carrying the producer groups of this client. */
    public static final int HEART_BEAT = 34;
    /** Client to broker at shutdown: forget this client id for a group. */
    public static final int UNREGISTER_CLIENT = 35;
    /** Consumer to broker; listed so that logs can name it. */
    public static final int CONSUMER_SEND_MSG_BACK = 36;
    /** Client to broker, oneway: commit or roll back a half message. */
    public static final int END_TRANSACTION = 37;
    /** Broker to client, oneway: asks the fate of a half message. */
    public static final int CHECK_TRANSACTION_STATE = 39;
    /** Broker to consumer; a producer answers it with {@link ResponseCode#REQUEST_CODE_NOT_SUPPORTED} or ignores it. */
    public static final int NOTIFY_CONSUMER_IDS_CHANGED = 40;
    /** Client to broker: consumer filter check. */
    public static final int CHECK_CLIENT_CONFIG = 46;
    /** Client to name server: the route of one topic. */
    public static final int GET_ROUTEINFO_BY_TOPIC = 105;
    /** Client to name server: all brokers and clusters. */
    public static final int GET_BROKER_CLUSTER_INFO = 106;
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
            case HEART_BEAT -> "HEART_BEAT";
            case UNREGISTER_CLIENT -> "UNREGISTER_CLIENT";
            case CONSUMER_SEND_MSG_BACK -> "CONSUMER_SEND_MSG_BACK";
            case END_TRANSACTION -> "END_TRANSACTION";
            case CHECK_TRANSACTION_STATE -> "CHECK_TRANSACTION_STATE";
            case NOTIFY_CONSUMER_IDS_CHANGED -> "NOTIFY_CONSUMER_IDS_CHANGED";
            case CHECK_CLIENT_CONFIG -> "CHECK_CLIENT_CONFIG";
            case GET_ROUTEINFO_BY_TOPIC -> "GET_ROUTEINFO_BY_TOPIC";
            case GET_BROKER_CLUSTER_INFO -> "GET_BROKER_CLUSTER_INFO";
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
