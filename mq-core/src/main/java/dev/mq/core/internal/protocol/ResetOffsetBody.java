package dev.mq.core.internal.protocol;

import dev.mq.core.MessageQueue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The body of RESET_CONSUMER_CLIENT_OFFSET: the offsets an administrator reset a group's queues to.
 * The broker writes it with fastjson as a map keyed by queue objects,
 * {@code {"offsetTable":{{"brokerName":"b","queueId":1,"topic":"T"}:7,…}}}, which standard JSON
 * parsers refuse; a list form {@code {"offsetTable":[{"topic","brokerName","queueId","offset"},…]}}
 * (the broker's choice when the admin tool was not Java) is read too.
 */
public final class ResetOffsetBody {

    private ResetOffsetBody() {
    }

    /**
     * The queues and offsets the body names, in its order; empty for an empty body or table.
     *
     * @throws IllegalArgumentException if the body is not of either shape, or an entry lacks its
     *     topic, broker, queue id or offset
     */
    public static Map<MessageQueue, Long> decode(byte @Nullable [] body) {
        if (body == null || body.length == 0) {
            return Map.of();
        }
        if (!(FastjsonReader.read(body) instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("reset offset body is not an object");
        }
        Object table = root.get("offsetTable");
        Map<MessageQueue, Long> offsets = new LinkedHashMap<>();
        if (table instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                offsets.put(queue(e.getKey()), offset(e.getValue()));
            }
        } else if (table instanceof List<?> list) {
            for (Object entry : list) {
                if (!(entry instanceof Map<?, ?> fields)) {
                    throw new IllegalArgumentException("reset offset entry is not an object: " + entry);
                }
                offsets.put(queue(fields), offset(fields.get("offset")));
            }
        } else if (table != null) {
            throw new IllegalArgumentException("offsetTable is neither a map nor a list: " + table);
        }
        return offsets;
    }

    private static MessageQueue queue(@Nullable Object key) {
        if (key instanceof Map<?, ?> fields && fields.get("topic") instanceof String topic
                && fields.get("brokerName") instanceof String broker && fields.get("queueId") instanceof Long id
                && id >= 0 && id <= Integer.MAX_VALUE) {
            return new MessageQueue(topic, broker, id.intValue());
        }
        throw new IllegalArgumentException("not a message queue: " + key);
    }

    private static long offset(@Nullable Object value) {
        if (value instanceof Long offset) {
            return offset;
        }
        throw new IllegalArgumentException("not an offset: " + value);
    }

    /** The body in the broker's (fastjson's) form; for tests and tools. */
    public static byte[] encode(Map<MessageQueue, Long> offsets) {
        Objects.requireNonNull(offsets, "offsets");
        StringBuilder out = new StringBuilder("{\"offsetTable\":{");
        String separator = "";
        for (Map.Entry<MessageQueue, Long> e : offsets.entrySet()) {
            out.append(separator);
            FastjsonWriter.queueKey(out, e.getKey());
            out.append(':').append(e.getValue());
            separator = ",";
        }
        return out.append("}}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
