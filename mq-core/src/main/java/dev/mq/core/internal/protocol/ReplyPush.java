package dev.mq.core.internal.protocol;

import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * PUSH_REPLY_MESSAGE_TO_CLIENT (326), the request a broker sends to a requester with a reply: the
 * replier's send header, re-sent with long field names ({@code topic}, {@code queueId},
 * {@code sysFlag}, {@code bornTimestamp}, {@code flag}, {@code properties}, {@code reconsumeTimes},
 * {@code bornHost}, {@code storeHost}, {@code storeTimestamp}, ...), and the reply's body as the
 * replier sent it (compressed when sysFlag says so). The broker waits for a SUCCESS answer with the
 * request's opaque and tells the replier when it does not get one.
 */
public final class ReplyPush {

    private ReplyPush() {
    }

    /**
     * The reply as the application sees it.
     *
     * @param fields       the request's header fields
     * @param body         its body (null for an empty one)
     * @param brokerName the broker that pushed it, for the reply's queue (the push
     *                   itself does not name it)
     * @throws IllegalArgumentException if a field is missing or malformed, or the body cannot be inflated
     */
    public static ReceivedMessage decode(Map<String, String> fields, byte @Nullable [] body, String brokerName) {
        String topic = required(fields, "topic");
        Map<String, String> properties = MessageProperties.decode(fields.getOrDefault("properties", ""));
        int sysFlag = integer(fields, "sysFlag", 0);
        byte[] content = body == null ? new byte[0] : body;
        if (SysFlag.isCompressed(sysFlag)) {
            content = Compression.decompress(content, sysFlag);
        }
        String uniqKey = properties.get(MessageProperties.UNIQ_KEY);
        String messageId = uniqKey != null ? uniqKey : properties.getOrDefault(MessageProperties.CORRELATION_ID, "");
        ReceivedMessage.Builder builder = ReceivedMessage.builder(topic, messageId,
                new MessageQueue(topic, brokerName, integer(fields, "queueId", 0)));
        return StoredMessage.applicationView(builder, properties)
                .body(content)
                .reconsumeTimes(integer(fields, "reconsumeTimes", 0))
                .bornTimestamp(longValue(fields, "bornTimestamp"))
                .storeTimestamp(longValue(fields, "storeTimestamp"))
                .bornHost(host(fields.get("bornHost")))
                .storeHost(host(fields.get("storeHost")))
                .build();
    }

    /**
     * {@code ip:port} from a Java socket address's text ({@code /127.0.0.1:10911} or
     * {@code name/127.0.0.1:10911}, as brokers write it), or null.
     */
    static @Nullable String host(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        int slash = text.lastIndexOf('/');
        return slash < 0 ? text : text.substring(slash + 1);
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("reply push without " + name);
        }
        return value;
    }

    private static int integer(Map<String, String> fields, String name, int absent) {
        String value = fields.get(name);
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("reply push field " + name + " is not a number: " + value, e);
        }
    }

    private static long longValue(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("reply push field " + name + " is not a number: " + value, e);
        }
    }
}
