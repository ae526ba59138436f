package dev.mq.core.internal.protocol;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the answer to SEND_MESSAGE_V2 or SEND_BATCH_MESSAGE means, for a single send and for each
 * message of an automatic batch alike: its code as a {@link SendStatus} or a refusal, its header
 * fields as a {@link SendResult}. Static and data only (the header fields come as the map the
 * transport decoded), so that reading an answer costs nothing beyond the result itself.
 */
public final class SendResponse {

    /** The offset message id: one, or for a batch one per message, separated by commas. */
    public static final String MSG_ID = "msgId";
    /** The queue the broker stored to (a static topic may map the one asked for to another). */
    public static final String QUEUE_ID = "queueId";
    /** The queue offset of the (first) message stored. */
    public static final String QUEUE_OFFSET = "queueOffset";
    public static final String TRANSACTION_ID = "transactionId";
    /**
     * Header names and values nearly every send answer carries (5.x brokers add the region and trace
     * switch): the transport's header reader returns these as shared constants, not new strings.
     */
    public static final List<String> FREQUENT_STRINGS = List.of(MSG_ID, QUEUE_ID, QUEUE_OFFSET, TRANSACTION_ID,
            "MSG_REGION", "DefaultRegion", "TRACE_ON", "true", "false", "batchUniqId", "recallHandle");

    private SendResponse() {
    }

    /**
     * The status of a stored message for response {@code code} — stored, perhaps without the flush or
     * replication asked for — or null when the broker did not store it.
     */
    public static @Nullable SendStatus status(int code) {
        return switch (code) {
            case ResponseCode.SUCCESS -> SendStatus.SEND_OK;
            case ResponseCode.FLUSH_DISK_TIMEOUT -> SendStatus.FLUSH_DISK_TIMEOUT;
            case ResponseCode.FLUSH_SLAVE_TIMEOUT -> SendStatus.FLUSH_SLAVE_TIMEOUT;
            case ResponseCode.SLAVE_NOT_AVAILABLE -> SendStatus.SLAVE_NOT_AVAILABLE;
            default -> null;
        };
    }

    /**
     * The error for a broker's refusal (a code whose {@link #status} is null) to store what was sent
     * to {@code brokerName} at {@code brokerAddress}; {@code hint} (possibly empty) says what to check.
     */
    public static MQException rejection(int code, @Nullable String remark, String brokerName,
                                        @Nullable String brokerAddress, String topic, String hint) {
        return MQException.brokerRejected("broker " + brokerName + " (" + brokerAddress
                + ") rejected the message to topic '" + topic + "': " + ResponseCode.name(code)
                + " (" + code + ") " + remark + hint, code, remark);
    }

    /**
     * The queue a message (or every message of a batch) was stored to: {@code chosen} under the
     * user's topic, with the queue id the broker answered, if it did.
     */
    public static MessageQueue writtenQueue(Map<String, String> fields, String userTopic, MessageQueue chosen) {
        int queueId = parseInt(fields.get(QUEUE_ID), chosen.queueId());
        // Usually the queue asked for, under the same name: no new object per answer.
        return queueId == chosen.queueId() && userTopic.equals(chosen.topic()) ? chosen
                : new MessageQueue(userTopic, chosen.brokerName(), queueId);
    }

    /** The result of a single send (or an explicit batch, whose offset message ids stay one string). */
    public static SendResult result(SendStatus status, Map<String, String> fields, String userTopic,
                                    MessageQueue chosen, List<String> messageIds) {
        return result(status, fields, queueOffset(fields), userTopic, chosen, messageIds);
    }

    /**
     * {@link #result(SendStatus, Map, String, MessageQueue, List)} with the queue offset already read
     * ({@code queueOffset}, -1 when there is none): the transport reads it without a String.
     */
    public static SendResult result(SendStatus status, Map<String, String> fields, long queueOffset, String userTopic,
                                    MessageQueue chosen, List<String> messageIds) {
        return new SendResult(status, messageIds, fields.get(MSG_ID), writtenQueue(fields, userTopic, chosen),
                queueOffset, fields.get(TRANSACTION_ID));
    }

    /** The queue offset answered, or -1 when there is none. */
    public static long queueOffset(Map<String, String> fields) {
        return parseLong(fields.get(QUEUE_OFFSET));
    }

    /**
     * The result of message {@code index} of an automatic batch stored at {@code firstOffset} (-1 if
     * unknown) in {@code written}, whose offset message id is {@code offsetId}.
     */
    public static SendResult batchMemberResult(SendStatus status, List<String> messageIds, @Nullable String offsetId,
                                               MessageQueue written, long firstOffset, int index) {
        return new SendResult(status, messageIds, offsetId, written, firstOffset < 0 ? -1 : firstOffset + index, null);
    }

    /**
     * The offset message id that starts at {@code from} in a batch's comma-separated list {@code ids},
     * or null (no list, past its end, or an empty entry). The next one starts at
     * {@link #nextOffsetId}: walking the list by index needs no array of the parts.
     */
    public static @Nullable String offsetIdAt(@Nullable String ids, int from) {
        if (ids == null || from > ids.length()) {
            return null;
        }
        int end = endOfOffsetId(ids, from);
        return end > from ? ids.substring(from, end) : null;
    }

    /** Where the offset message id after the one at {@code from} starts (past the end when there is none). */
    public static int nextOffsetId(@Nullable String ids, int from) {
        if (ids == null || from > ids.length()) {
            return from;
        }
        return endOfOffsetId(ids, from) + 1;
    }

    private static int endOfOffsetId(String ids, int from) {
        int comma = ids.indexOf(',', from);
        return comma < 0 ? ids.length() : comma;
    }

    static int parseInt(@Nullable String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static long parseLong(@Nullable String s) {
        try {
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
