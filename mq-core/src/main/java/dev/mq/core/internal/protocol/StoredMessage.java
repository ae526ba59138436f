package dev.mq.core.internal.protocol;

import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One message in the broker's stored format (its commit-log record): the body of a
 * CHECK_TRANSACTION_STATE request, and each record of a pull answer. Decoded once, here, for both.
 *
 * <p>Layout (int32/int64 big-endian): totalSize, magic (v1: one-byte topic length, v2: two-byte),
 * bodyCRC, queueId, flag, queueOffset, physicalOffset, sysFlag, bornTimestamp, bornHost (IPv4 + port,
 * or IPv6 + port when sysFlag has {@link SysFlag#BORNHOST_V6}), storeTimestamp, storeHost (likewise
 * {@link SysFlag#STOREHOST_V6}), reconsumeTimes, preparedTransactionOffset, body (int32 length;
 * compressed when sysFlag has {@link SysFlag#COMPRESSED}, see {@link Compression#decompress}), topic, properties (int16 length, §4.1 text).
 *
 * <p>The topic is the one stored, namespace included: the caller, who knows the namespace, gives the
 * application's name to {@link #toReceivedMessage}.
 */
public final class StoredMessage {

    /** Magic of the v1 format: the topic length is one byte. */
    public static final int MAGIC_V1 = 0xDAA320A7;
    /** Magic of the v2 format: the topic length is two bytes. */
    public static final int MAGIC_V2 = 0xDAA320AB;

    /** {@code KEYS} holds several keys separated by this. */
    private static final String KEY_SEPARATOR = " ";

    private final String topic;
    private final int queueId;
    private final int flag;
    private final long queueOffset;
    private final long physicalOffset;
    private final int sysFlag;
    private final long bornTimestamp;
    private final String bornHost;
    private final long storeTimestamp;
    private final byte[] storeHostAddress;
    private final int storeHostPort;
    private final int reconsumeTimes;
    private final long preparedTransactionOffset;
    private final byte[] body;
    private final Map<String, String> properties;

    private StoredMessage(String topic, int queueId, int flag, long queueOffset, long physicalOffset, int sysFlag,
                          long bornTimestamp, String bornHost, long storeTimestamp, byte[] storeHostAddress,
                          int storeHostPort, int reconsumeTimes, long preparedTransactionOffset, byte[] body,
                          Map<String, String> properties) {
        this.topic = topic;
        this.queueId = queueId;
        this.flag = flag;
        this.queueOffset = queueOffset;
        this.physicalOffset = physicalOffset;
        this.sysFlag = sysFlag;
        this.bornTimestamp = bornTimestamp;
        this.bornHost = bornHost;
        this.storeTimestamp = storeTimestamp;
        this.storeHostAddress = storeHostAddress;
        this.storeHostPort = storeHostPort;
        this.reconsumeTimes = reconsumeTimes;
        this.preparedTransactionOffset = preparedTransactionOffset;
        this.body = body;
        this.properties = properties;
    }

    /**
     * Decodes the one message that {@code bytes} holds.
     *
     * @throws IllegalArgumentException if it is not one whole stored message
     */
    public static StoredMessage decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        StoredMessage message = decode(buffer);
        if (buffer.hasRemaining()) {
            throw new IllegalArgumentException(buffer.remaining() + " bytes after the stored message");
        }
        return message;
    }

    /** Decodes every message of {@code bytes}, one after another (a pull answer's body). */
    public static List<StoredMessage> decodeAll(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        List<StoredMessage> messages = new ArrayList<>();
        while (buffer.hasRemaining()) {
            messages.add(decode(buffer));
        }
        return messages;
    }

    /**
     * Decodes the message at the buffer's position and leaves the position after it.
     *
     * @throws IllegalArgumentException if the bytes there are not one whole stored message
     */
    public static StoredMessage decode(ByteBuffer buffer) {
        int start = buffer.position();
        try {
            int totalSize = buffer.getInt();
            if (totalSize < 4 || totalSize > buffer.remaining() + 4) {
                throw new IllegalArgumentException("stored message of " + totalSize + " bytes, "
                        + (buffer.remaining() + 4) + " available");
            }
            int magic = buffer.getInt();
            if (magic != MAGIC_V1 && magic != MAGIC_V2) {
                throw new IllegalArgumentException("not a stored message: magic 0x" + Integer.toHexString(magic));
            }
            buffer.getInt(); // body CRC: the broker checked it when it stored the message
            int queueId = buffer.getInt();
            int flag = buffer.getInt();
            long queueOffset = buffer.getLong();
            long physicalOffset = buffer.getLong();
            int sysFlag = buffer.getInt();
            long bornTimestamp = buffer.getLong();
            byte[] bornAddress = address(buffer, (sysFlag & SysFlag.BORNHOST_V6) != 0);
            int bornPort = buffer.getInt();
            long storeTimestamp = buffer.getLong();
            byte[] storeAddress = address(buffer, (sysFlag & SysFlag.STOREHOST_V6) != 0);
            int storePort = buffer.getInt();
            int reconsumeTimes = buffer.getInt();
            long preparedTransactionOffset = buffer.getLong();
            int bodyLength = buffer.getInt();
            byte[] body = bytes(buffer, bodyLength, "body");
            if (SysFlag.isCompressed(sysFlag)) {
                body = Compression.decompress(body, sysFlag);
            }
            int topicLength = magic == MAGIC_V1 ? buffer.get() & 0xFF : buffer.getShort() & 0xFFFF;
            String topic = new String(bytes(buffer, topicLength, "topic"), StandardCharsets.UTF_8);
            int propertiesLength = buffer.getShort() & 0xFFFF;
            String properties = new String(bytes(buffer, propertiesLength, "properties"), StandardCharsets.UTF_8);
            int read = buffer.position() - start;
            if (read != totalSize) {
                throw new IllegalArgumentException("stored message says " + totalSize + " bytes, its fields take "
                        + read);
            }
            return new StoredMessage(topic, queueId, flag, queueOffset, physicalOffset, sysFlag, bornTimestamp,
                    hostText(bornAddress, bornPort), storeTimestamp, storeAddress, storePort, reconsumeTimes,
                    preparedTransactionOffset, body, MessageProperties.decode(properties));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("stored message truncated at byte " + (buffer.position() - start), e);
        }
    }

    private static byte[] address(ByteBuffer buffer, boolean v6) {
        return bytes(buffer, v6 ? 16 : 4, "host");
    }

    private static byte[] bytes(ByteBuffer buffer, int length, String what) {
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("stored message " + what + " of " + length + " bytes, "
                    + buffer.remaining() + " left");
        }
        byte[] out = new byte[length];
        buffer.get(out);
        return out;
    }

    /** {@code ip:port}, an IPv6 address in brackets. No name lookup. */
    static String hostText(byte[] address, int port) {
        try {
            String ip = InetAddress.getByAddress(address).getHostAddress();
            return (address.length == 16 ? "[" + ip + "]" : ip) + ":" + port;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host address of " + address.length + " bytes", e);
        }
    }

    /**
     * The offset message id of a message stored at {@code physicalOffset} by the broker at
     * {@code address:port}: the address, port (int32) and offset (int64) bytes in upper-case hex.
     */
    public static String offsetMessageId(byte[] address, int port, long physicalOffset) {
        ByteBuffer id = ByteBuffer.allocate(address.length + 12);
        id.put(address).putInt(port).putLong(physicalOffset);
        StringBuilder hex = new StringBuilder(id.capacity() * 2);
        for (byte b : id.array()) {
            hex.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
        return hex.toString();
    }

    /**
     * The commit-log offset inside an offset message id: its last eight bytes.
     *
     * @throws IllegalArgumentException if {@code offsetMessageId} is not an IPv4 or IPv6 offset id
     */
    public static long commitLogOffset(String offsetMessageId) {
        int length = offsetMessageId.length();
        if (length != 32 && length != 56) {
            throw new IllegalArgumentException("not an offset message id: " + offsetMessageId);
        }
        try {
            return Long.parseUnsignedLong(offsetMessageId.substring(length - 16), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an offset message id: " + offsetMessageId, e);
        }
    }

    /** The topic as stored (with the namespace, if any). */
    public String topic() {
        return topic;
    }

    public int queueId() {
        return queueId;
    }

    public int flag() {
        return flag;
    }

    public long queueOffset() {
        return queueOffset;
    }

    /** Where the message starts in the broker's commit log. */
    public long physicalOffset() {
        return physicalOffset;
    }

    public int sysFlag() {
        return sysFlag;
    }

    public long bornTimestamp() {
        return bornTimestamp;
    }

    public String bornHost() {
        return bornHost;
    }

    public long storeTimestamp() {
        return storeTimestamp;
    }

    public String storeHost() {
        return hostText(storeHostAddress, storeHostPort);
    }

    public int reconsumeTimes() {
        return reconsumeTimes;
    }

    public long preparedTransactionOffset() {
        return preparedTransactionOffset;
    }

    /** The body, decompressed. */
    public byte[] body() {
        return body;
    }

    /** Every property, reserved ones included, in stored order. */
    public Map<String, String> properties() {
        return properties;
    }

    public @Nullable String property(String name) {
        return properties.get(name);
    }

    /** Store host and physical offset as the broker's offset message id. */
    public String offsetMessageId() {
        return offsetMessageId(storeHostAddress, storeHostPort, physicalOffset);
    }

    /** The client message id ({@code UNIQ_KEY}), or the offset message id when the producer set none. */
    public String messageId() {
        String uniq = properties.get(MessageProperties.UNIQ_KEY);
        return uniq != null ? uniq : offsetMessageId();
    }

    /**
     * This message as the application sees it: user properties apart from the reserved ones, which
     * become tags, keys and ids.
     *
     * @param applicationTopic the topic without the namespace (the caller strips it)
     * @param brokerName the broker the message was read from (the stored record does not name it)
     */
    public ReceivedMessage toReceivedMessage(String applicationTopic, String brokerName) {
        return toReceivedMessage(applicationTopic, new MessageQueue(applicationTopic, brokerName, queueId));
    }

    /**
     * As {@link #toReceivedMessage(String, String)}, read from {@code queue}: a consumer shows a retried
     * message under its original topic while it came from the group's retry queue.
     */
    public ReceivedMessage toReceivedMessage(String applicationTopic, MessageQueue queue) {
        Map<String, String> user = new LinkedHashMap<>();
        properties.forEach((name, value) -> {
            if (!MessageProperties.isReserved(name)) {
                user.put(name, value);
            }
        });
        return applicationView(ReceivedMessage.builder(applicationTopic, messageId(), queue), properties, user)
                .body(body)
                .offsetMessageId(offsetMessageId())
                .queueOffset(queueOffset)
                .reconsumeTimes(reconsumeTimes)
                .bornTimestamp(bornTimestamp)
                .storeTimestamp(storeTimestamp)
                .bornHost(bornHost)
                .storeHost(storeHost())
                .build();
    }

    /**
     * Reads the reserved properties an application sees through accessors (tags, keys, cluster and
     * the request-reply fields) into {@code builder}, and the user's properties {@code user}.
     */
    static ReceivedMessage.Builder applicationView(ReceivedMessage.Builder builder, Map<String, String> properties,
                                                   Map<String, String> user) {
        String keys = properties.get(MessageProperties.KEYS);
        builder.tags(properties.get(MessageProperties.TAGS))
                .keys(keys == null ? List.of()
                        : Arrays.stream(keys.split(KEY_SEPARATOR)).filter(k -> !k.isEmpty()).toList())
                .properties(user)
                .cluster(properties.get(MessageProperties.CLUSTER));
        String correlationId = properties.get(MessageProperties.CORRELATION_ID);
        if (correlationId != null) { // one lookup for the messages that are neither requests nor replies
            builder.requestReply(correlationId, properties.get(MessageProperties.REPLY_TO_CLIENT),
                    ttlMillis(properties.get(MessageProperties.TTL)),
                    MessageProperties.REPLY_TYPE.equals(properties.get(MessageProperties.MSG_TYPE)));
        }
        return builder;
    }

    private static long ttlMillis(@Nullable String ttl) {
        if (ttl == null) {
            return -1;
        }
        try {
            return Long.parseLong(ttl.trim());
        } catch (NumberFormatException e) {
            return -1; // another client's malformed TTL: the request is still answerable
        }
    }

    @Override
    public String toString() {
        return "StoredMessage[topic=" + topic + ", queueId=" + queueId + ", queueOffset=" + queueOffset
                + ", physicalOffset=" + physicalOffset + ", messageId=" + messageId() + "]";
    }
}
