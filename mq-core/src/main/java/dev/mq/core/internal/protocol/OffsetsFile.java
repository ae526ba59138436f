package dev.mq.core.internal.protocol;

import dev.mq.core.MessageQueue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The content of a broadcasting consumer's local offsets file (our own format, not RocketMQ's):
 * {@code {"group":"G","offsets":[{"topic":"T","brokerName":"b","queueId":0,"offset":42},…]}}.
 * A list of plain objects rather than fastjson's map keyed by queue objects, so any JSON tool reads it.
 */
public final class OffsetsFile {

    private OffsetsFile() {
    }

    /** The file content for {@code group}'s {@code offsets} (the next offset to consume, per queue). */
    public static byte[] encode(String group, Map<MessageQueue, Long> offsets) {
        Objects.requireNonNull(group, "group");
        List<Entry> entries = new ArrayList<>(offsets.size());
        offsets.forEach((queue, offset) ->
                entries.add(new Entry(queue.topic(), queue.brokerName(), queue.queueId(), offset)));
        return ProtocolJson.MAPPER.writeValueAsBytes(new Content(group, entries));
    }

    /**
     * The offsets a file holds, in its order.
     *
     * @throws IllegalArgumentException if the content is not such a file (truncated, garbage, an
     *     entry without topic, broker or offset, a negative offset)
     */
    public static Map<MessageQueue, Long> decode(byte[] content) {
        Objects.requireNonNull(content, "content");
        ParsedContent parsed;
        try {
            parsed = ProtocolJson.MAPPER.readValue(content, ParsedContent.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an offsets file: " + e.getMessage(), e);
        }
        if (parsed == null || parsed.offsets() == null) {
            throw new IllegalArgumentException("not an offsets file: no offsets");
        }
        Map<MessageQueue, Long> offsets = new LinkedHashMap<>();
        for (ParsedEntry e : parsed.offsets()) {
            if (e == null || e.topic() == null || e.brokerName() == null || e.queueId() == null
                    || e.offset() == null || e.offset() < 0) {
                throw new IllegalArgumentException("offsets file holds an incomplete entry: " + e);
            }
            offsets.put(new MessageQueue(e.topic(), e.brokerName(), e.queueId()), e.offset());
        }
        return offsets;
    }

    private record Content(String group, List<Entry> offsets) {
    }

    private record Entry(String topic, String brokerName, int queueId, long offset) {
    }

    private record ParsedContent(@Nullable String group, @Nullable List<@Nullable ParsedEntry> offsets) {
    }

    private record ParsedEntry(@Nullable String topic, @Nullable String brokerName, @Nullable Integer queueId,
                               @Nullable Long offset) {
    }
}
