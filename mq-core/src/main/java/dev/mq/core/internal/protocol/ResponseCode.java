package dev.mq.core.internal.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Response codes a producer or a consumer can receive, and which of them are worth retrying on
 * another broker.
 *
 * <p>Codes 10, 11 and 12 are not failures: the message was stored, only the flush or replication
 * wait fell short. Numbers 209–211 are left out because 4.9 and 5.x gave them different meanings.
 */
public final class ResponseCode {

    /** Stored. */
    public static final int SUCCESS = 0;
    /** Generic broker failure (also ACL 1.0 failures and a broker still starting). Retryable. */
    public static final int SYSTEM_ERROR = 1;
    /** Flow control or page cache busy. Retryable since 5.3.0. */
    public static final int SYSTEM_BUSY = 2;
    /** The peer has no processor for the request code. */
    public static final int REQUEST_CODE_NOT_SUPPORTED = 3;
    /** System code, not produced by sends. */
    public static final int TRANSACTION_FAILED = 4;
    /** Stored, but the synchronous flush timed out. */
    public static final int FLUSH_DISK_TIMEOUT = 10;
    /** Stored, but a synchronous master has no slave. */
    public static final int SLAVE_NOT_AVAILABLE = 11;
    /** Stored, but replication timed out. */
    public static final int FLUSH_SLAVE_TIMEOUT = 12;
    /** The broker refused the message itself (size, properties, timer, batch rules). */
    public static final int MESSAGE_ILLEGAL = 13;
    /** Store shut down, slave, not writeable or disk full. Retryable. */
    public static final int SERVICE_NOT_AVAILABLE = 14;
    /** Not produced by sends. */
    public static final int VERSION_NOT_SUPPORTED = 15;
    /** Topic or broker not writeable, system topic, transactions refused, ACL 2.0 failure. Retryable. */
    public static final int NO_PERMISSION = 16;
    /** Topic unknown and not auto-creatable; from a name server: no route. Retryable. */
    public static final int TOPIC_NOT_EXIST = 17;
    /** Pull: no new message at this offset (after any long poll). */
    public static final int PULL_NOT_FOUND = 19;
    /** Pull: messages existed but none matched the filter, or the data is elsewhere; pull again now. */
    public static final int PULL_RETRY_IMMEDIATELY = 20;
    /** Pull: the offset is outside the queue (or an admin reset it); continue from nextBeginOffset. */
    public static final int PULL_OFFSET_MOVED = 21;
    /** QUERY_CONSUMER_OFFSET: the group has committed nothing for the queue. */
    public static final int QUERY_NOT_FOUND = 22;
    /** The subscription expression does not parse. */
    public static final int SUBSCRIPTION_PARSE_FAILED = 23;
    /** A pull without its own subscription, and the broker has none registered by heartbeat. */
    public static final int SUBSCRIPTION_NOT_EXIST = 24;
    /** A pull without its own subscription whose version is newer than the registered one. */
    public static final int SUBSCRIPTION_NOT_LATEST = 25;
    /** The group is unknown and cannot be created. */
    public static final int SUBSCRIPTION_GROUP_NOT_EXIST = 26;
    /** SQL92 pull without its own subscription: no filter data registered. */
    public static final int FILTER_DATA_NOT_EXIST = 27;
    /** SQL92 pull without its own subscription: registered filter data is older. */
    public static final int FILTER_DATA_NOT_LATEST = 28;
    /** 5.x: bad topic name or queue id out of range. */
    public static final int INVALID_PARAMETER = 29;
    /** Legacy. Retryable. */
    public static final int NO_BUYER_ID = 204;
    /** Legacy. Retryable. */
    public static final int NOT_IN_CURRENT_UNIT = 205;
    /** An admin offset reset found no live consumer of the group. */
    public static final int CONSUMER_NOT_ONLINE = 206;
    /** A forwarded GET_CONSUMER_RUNNING_INFO or CONSUME_MESSAGE_DIRECTLY timed out at the broker. */
    public static final int CONSUME_MSG_TIMEOUT = 207;
    /** Not on the send path; a pull that gets it is tried again shortly. */
    public static final int FLOW_CONTROL = 215;
    /** 5.x static-topic mapping. */
    public static final int NOT_LEADER_FOR_QUEUE = 501;
    /** 5.x: END_TRANSACTION did not match the half message. */
    public static final int ILLEGAL_OPERATION = 604;
    /** 5.x server shutting down gracefully: reconnect and retry. Retryable. */
    public static final int GO_AWAY = 1500;

    private ResponseCode() {
    }

    /** A readable name for logs and error messages: the constant's name, or {@code CODE_n}. */
    public static String name(int code) {
        return switch (code) {
            case SUCCESS -> "SUCCESS";
            case SYSTEM_ERROR -> "SYSTEM_ERROR";
            case SYSTEM_BUSY -> "SYSTEM_BUSY";
            case REQUEST_CODE_NOT_SUPPORTED -> "REQUEST_CODE_NOT_SUPPORTED";
            case TRANSACTION_FAILED -> "TRANSACTION_FAILED";
            case FLUSH_DISK_TIMEOUT -> "FLUSH_DISK_TIMEOUT";
            case SLAVE_NOT_AVAILABLE -> "SLAVE_NOT_AVAILABLE";
            case FLUSH_SLAVE_TIMEOUT -> "FLUSH_SLAVE_TIMEOUT";
            case MESSAGE_ILLEGAL -> "MESSAGE_ILLEGAL";
            case SERVICE_NOT_AVAILABLE -> "SERVICE_NOT_AVAILABLE";
            case VERSION_NOT_SUPPORTED -> "VERSION_NOT_SUPPORTED";
            case NO_PERMISSION -> "NO_PERMISSION";
            case TOPIC_NOT_EXIST -> "TOPIC_NOT_EXIST";
            case PULL_NOT_FOUND -> "PULL_NOT_FOUND";
            case PULL_RETRY_IMMEDIATELY -> "PULL_RETRY_IMMEDIATELY";
            case PULL_OFFSET_MOVED -> "PULL_OFFSET_MOVED";
            case QUERY_NOT_FOUND -> "QUERY_NOT_FOUND";
            case SUBSCRIPTION_PARSE_FAILED -> "SUBSCRIPTION_PARSE_FAILED";
            case SUBSCRIPTION_NOT_EXIST -> "SUBSCRIPTION_NOT_EXIST";
            case SUBSCRIPTION_NOT_LATEST -> "SUBSCRIPTION_NOT_LATEST";
            case SUBSCRIPTION_GROUP_NOT_EXIST -> "SUBSCRIPTION_GROUP_NOT_EXIST";
            case FILTER_DATA_NOT_EXIST -> "FILTER_DATA_NOT_EXIST";
            case FILTER_DATA_NOT_LATEST -> "FILTER_DATA_NOT_LATEST";
            case INVALID_PARAMETER -> "INVALID_PARAMETER";
            case NO_BUYER_ID -> "NO_BUYER_ID";
            case NOT_IN_CURRENT_UNIT -> "NOT_IN_CURRENT_UNIT";
            case CONSUMER_NOT_ONLINE -> "CONSUMER_NOT_ONLINE";
            case CONSUME_MSG_TIMEOUT -> "CONSUME_MSG_TIMEOUT";
            case FLOW_CONTROL -> "FLOW_CONTROL";
            case NOT_LEADER_FOR_QUEUE -> "NOT_LEADER_FOR_QUEUE";
            case ILLEGAL_OPERATION -> "ILLEGAL_OPERATION";
            case GO_AWAY -> "GO_AWAY";
            default -> "CODE_" + code;
        };
    }

    /**
     * Whether a send that failed with {@code code} may be tried again on another broker. This is
     * the 5.3.1+ set; 4.9 clients leave out SYSTEM_BUSY and GO_AWAY, but both are transient on a
     * 4.9 broker too (GO_AWAY is never sent by one), so one set serves every server version.
     */
    public static boolean isRetryable(int code) {
        return switch (code) {
            case SYSTEM_ERROR, SYSTEM_BUSY, SERVICE_NOT_AVAILABLE, NO_PERMISSION, TOPIC_NOT_EXIST,
                    NO_BUYER_ID, NOT_IN_CURRENT_UNIT, GO_AWAY -> true;
            default -> false;
        };
    }

    /**
     * Whether a broker refused a request for its ACL credentials or rights. ACL 2.0 (RocketMQ 5)
     * answers NO_PERMISSION; ACL 1.0 on a 4.9 broker lets its validator's {@code AclException}
     * through as SYSTEM_ERROR, with the exception named in the remark.
     */
    public static boolean isAclRefusal(int code, @Nullable String remark) {
        return code == NO_PERMISSION || (code == SYSTEM_ERROR && remark != null && remark.contains("AclException"));
    }
}
