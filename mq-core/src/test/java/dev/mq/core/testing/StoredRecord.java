package dev.mq.core.testing;

import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.protocol.StoredMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One stored-message record (§9.4), written field by field the way the broker writes it. */
public final class StoredRecord {

    public int magic = StoredMessage.MAGIC_V2;
    public int queueId = 3;
    public int flag = 7;
    public long queueOffset = 42;
    public long physicalOffset = 0x1234_5678_9AL;
    public int sysFlag;
    public long bornTimestamp = 1_700_000_000_000L;
    public byte[] bornAddress = {127, 0, 0, 1};
    public int bornPort = 50_123;
    public long storeTimestamp = 1_700_000_000_500L;
    public byte[] storeAddress = {10, 1, 2, 3};
    public int storePort = 10_911;
    public int reconsumeTimes = 2;
    public long preparedTransactionOffset = 99;
    public byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
    public String topic = "orders";
    public Map<String, String> properties = new LinkedHashMap<>();
    /** When set, the property text stored instead of {@link #properties} encoded (malformed ones included). */
    public String rawProperties;

    public byte[] bytes() {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        byte[] props = (rawProperties != null ? rawProperties : MessageProperties.encode(properties))
                .getBytes(StandardCharsets.UTF_8);
        int size = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + bornAddress.length + 4 + 8 + storeAddress.length + 4 + 4 + 8
                + 4 + body.length + (magic == StoredMessage.MAGIC_V1 ? 1 : 2) + topicBytes.length + 2 + props.length;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(size).putInt(magic).putInt(0).putInt(queueId).putInt(flag).putLong(queueOffset)
                .putLong(physicalOffset).putInt(sysFlag).putLong(bornTimestamp).put(bornAddress).putInt(bornPort)
                .putLong(storeTimestamp).put(storeAddress).putInt(storePort).putInt(reconsumeTimes)
                .putLong(preparedTransactionOffset).putInt(body.length).put(body);
        if (magic == StoredMessage.MAGIC_V1) {
            b.put((byte) topicBytes.length);
        } else {
            b.putShort((short) topicBytes.length);
        }
        b.put(topicBytes).putShort((short) props.length).put(props);
        return b.array();
    }
}
