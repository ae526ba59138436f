package dev.mq.test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message as Apache RocketMQ's own consumer read it from the broker (see {@link OfficialConsumer}).
 * Accessors are named like the official {@code MessageExt}'s.
 */
public final class StoredMessage {

    private final String topic;
    private final String msgId;
    private final String brokerName;
    private final int queueId;
    private final long queueOffset;
    private final int storeSize;
    private final int sysFlag;
    private final long bornTimestamp;
    private final Map<String, String> properties;
    private final byte[] body;

    private StoredMessage(String topic, String msgId, String brokerName, int queueId, long queueOffset, int storeSize,
                          int sysFlag, long bornTimestamp, Map<String, String> properties, byte[] body) {
        this.topic = topic;
        this.msgId = msgId;
        this.brokerName = brokerName;
        this.queueId = queueId;
        this.queueOffset = queueOffset;
        this.storeSize = storeSize;
        this.sysFlag = sysFlag;
        this.bornTimestamp = bornTimestamp;
        this.properties = Collections.unmodifiableMap(properties);
        this.body = body;
    }

    /** Decodes one record written by the reader node. */
    static StoredMessage decode(String base64) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            String topic = readString(in);
            String msgId = readString(in);
            String brokerName = readString(in);
            int queueId = in.readInt();
            long queueOffset = in.readLong();
            int storeSize = in.readInt();
            int sysFlag = in.readInt();
            long born = in.readLong();
            Map<String, String> properties = parseProperties(readString(in));
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return new StoredMessage(topic, msgId, brokerName, queueId, queueOffset, storeSize, sysFlag, born,
                    properties, body);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt message record from the reader", e);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** RocketMQ's property string: {@code name 0x01 value 0x02}, repeated. */
    private static Map<String, String> parseProperties(String encoded) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (encoded == null) {
            return properties;
        }
        for (String pair : encoded.split("\u0002")) {
            int separator = pair.indexOf('\u0001');
            if (separator > 0) {
                properties.put(pair.substring(0, separator), pair.substring(separator + 1));
            }
        }
        return properties;
    }

    public String getTopic() {
        return topic;
    }

    /** The client message id ({@code UNIQ_KEY}) when the message has one, as the official consumer reports it. */
    public String getMsgId() {
        return msgId;
    }

    public String getBrokerName() {
        return brokerName;
    }

    public int getQueueId() {
        return queueId;
    }

    public long getQueueOffset() {
        return queueOffset;
    }

    /** Bytes the message takes in the commit log (smaller than the body when it travelled compressed). */
    public int getStoreSize() {
        return storeSize;
    }

    public int getSysFlag() {
        return sysFlag;
    }

    public long getBornTimestamp() {
        return bornTimestamp;
    }

    /** The body, decompressed by the official consumer. */
    public byte[] getBody() {
        return body;
    }

    /** Every stored property, system ones included. */
    public Map<String, String> getProperties() {
        return properties;
    }

    public String getProperty(String name) {
        return properties.get(name);
    }

    /** A user property (same as {@link #getProperty}, named like the official API). */
    public String getUserProperty(String name) {
        return properties.get(name);
    }

    public String getTags() {
        return properties.get("TAGS");
    }

    /** The keys, space-separated as stored. */
    public String getKeys() {
        return properties.get("KEYS");
    }

    @Override
    public String toString() {
        return "StoredMessage[" + topic + "@" + brokerName + "#" + queueId + ":" + queueOffset + ", id=" + msgId
                + ", bodyBytes=" + body.length + "]";
    }
}
