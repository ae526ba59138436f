package dev.mq.core.internal.protocol;

import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
 * {@link SysFlag#STOREHOST_V6}), reconsumeTimes, preparedTransactionOffset, body (int32 length; zlib
 * when sysFlag has {@link SysFlag#COMPRESSED}), topic, properties (int16 length, §4.1 text).
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
    private static final char KEY_SEPARATOR = ' ';
    private static final String[] NO_PAIRS = new String[0];

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
    private final String storeHost;
    private final int reconsumeTimes;
    private final long preparedTransactionOffset;
    private final byte[] body;
    /** Every property as stored: name, value, name, value… (duplicates included; the last one wins). */
    private final String[] pairs;

    private StoredMessage(String topic, int queueId, int flag, long queueOffset, long physicalOffset, int sysFlag,
                          long bornTimestamp, String bornHost, long storeTimestamp, byte[] storeHostAddress,
                          int storeHostPort, String storeHost, int reconsumeTimes, long preparedTransactionOffset,
                          byte[] body, String[] pairs) {
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
        this.storeHost = storeHost;
        this.reconsumeTimes = reconsumeTimes;
        this.preparedTransactionOffset = preparedTransactionOffset;
        this.body = body;
        this.pairs = pairs;
    }

    /**
     * Decodes the one message that {@code bytes} holds.
     *
     * @throws IllegalArgumentException if it is not one whole stored message
     */
    public static StoredMessage decode(byte[] bytes) {
        Reader reader = new Reader(Unpooled.wrappedBuffer(bytes));
        StoredMessage message = reader.next();
        if (reader.hasMore()) {
            throw new IllegalArgumentException(reader.remaining() + " bytes after the stored message");
        }
        return message;
    }

    /** Decodes every message of {@code bytes}, one after another (a pull answer's body). */
    public static List<StoredMessage> decodeAll(byte[] bytes) {
        return decodeAll(Unpooled.wrappedBuffer(bytes));
    }

    /**
     * Decodes every message between the buffer's reader and writer index (a pull answer's body as the
     * connection received it), leaving both indexes as they were. Each body is copied out once; records
     * of one answer share their host texts, topic and repeated property names and values.
     *
     * @throws IllegalArgumentException if the bytes are not whole stored messages
     */
    public static List<StoredMessage> decodeAll(ByteBuf buffer) {
        Reader reader = new Reader(buffer);
        List<StoredMessage> messages = new ArrayList<>();
        while (reader.hasMore()) {
            messages.add(reader.next());
        }
        return messages;
    }

    /**
     * Reads records one after another from a buffer, by absolute index. It keeps what consecutive records
     * of one pull answer usually have in common — the store host (always), the born host (one producer
     * sends many), the topic, property names and short values — as the strings made for the previous
     * record, so that they are made once per answer rather than once per message. Not thread-safe: one
     * per decoding call.
     */
    private static final class Reader {

        /** Property names and values up to this many bytes go through {@link #strings}. */
        private static final int SHARED_STRING_MAX = 64;

        private final ByteBuf buffer;
        private final int end;
        private int index;
        private byte[] scratch = new byte[256];
        private String[] pairScratch = new String[16];
        /** Recently made ASCII strings by a hash of their bytes (a direct-mapped cache). */
        private final String[] strings = new String[64];
        private final HostText born = new HostText();
        private final HostText store = new HostText();
        private @Nullable String topic;

        Reader(ByteBuf buffer) {
            this.buffer = buffer;
            this.index = buffer.readerIndex();
            this.end = buffer.writerIndex();
        }

        boolean hasMore() {
            return index < end;
        }

        int remaining() {
            return end - index;
        }

        StoredMessage next() {
            int start = index;
            int available = end - start;
            if (available < 8) {
                throw new IllegalArgumentException("stored message truncated at byte " + available);
            }
            int totalSize = buffer.getInt(start);
            if (totalSize < 4 || totalSize > available) {
                throw new IllegalArgumentException("stored message of " + totalSize + " bytes, " + available
                        + " available");
            }
            int recordEnd = start + totalSize;
            int magic = buffer.getInt(start + 4);
            if (magic != MAGIC_V1 && magic != MAGIC_V2) {
                throw new IllegalArgumentException("not a stored message: magic 0x" + Integer.toHexString(magic));
            }
            // 8: body CRC, which the broker checked when it stored the message
            int at = start + 12;
            require(at, 4 + 4 + 8 + 8 + 4 + 8, recordEnd, "header", start);
            int queueId = buffer.getInt(at);
            int flag = buffer.getInt(at + 4);
            long queueOffset = buffer.getLong(at + 8);
            long physicalOffset = buffer.getLong(at + 16);
            int sysFlag = buffer.getInt(at + 24);
            long bornTimestamp = buffer.getLong(at + 28);
            at += 36;
            int bornLength = (sysFlag & SysFlag.BORNHOST_V6) != 0 ? 16 : 4;
            require(at, bornLength + 4 + 8, recordEnd, "host", start);
            String bornHost = born.text(buffer, at, bornLength);
            at += bornLength + 4;
            long storeTimestamp = buffer.getLong(at);
            at += 8;
            int storeLength = (sysFlag & SysFlag.STOREHOST_V6) != 0 ? 16 : 4;
            require(at, storeLength + 4 + 4 + 8 + 4, recordEnd, "host", start);
            String storeHost = store.text(buffer, at, storeLength);
            byte[] storeAddress = store.address;
            int storePort = store.port;
            at += storeLength + 4;
            int reconsumeTimes = buffer.getInt(at);
            long preparedTransactionOffset = buffer.getLong(at + 4);
            int bodyLength = buffer.getInt(at + 12);
            at += 16;
            require(at, bodyLength, recordEnd, "body", start);
            byte[] body = new byte[bodyLength];
            buffer.getBytes(at, body);
            at += bodyLength;
            if (SysFlag.isCompressed(sysFlag)) {
                body = decompress(body, sysFlag);
            }
            int topicLengthBytes = magic == MAGIC_V1 ? 1 : 2;
            require(at, topicLengthBytes, recordEnd, "topic", start);
            int topicLength = magic == MAGIC_V1 ? buffer.getUnsignedByte(at) : buffer.getUnsignedShort(at);
            at += topicLengthBytes;
            require(at, topicLength, recordEnd, "topic", start);
            String topic = topic(at, topicLength);
            at += topicLength;
            require(at, 2, recordEnd, "properties", start);
            int propertiesLength = buffer.getUnsignedShort(at);
            at += 2;
            require(at, propertiesLength, recordEnd, "properties", start);
            String[] pairs = properties(at, propertiesLength);
            at += propertiesLength;
            if (at != recordEnd) {
                throw new IllegalArgumentException("stored message says " + totalSize + " bytes, its fields take "
                        + (at - start));
            }
            index = recordEnd;
            return new StoredMessage(topic, queueId, flag, queueOffset, physicalOffset, sysFlag, bornTimestamp,
                    bornHost, storeTimestamp, storeAddress, storePort, storeHost, reconsumeTimes,
                    preparedTransactionOffset, body, pairs);
        }

        private static void require(int at, int length, int recordEnd, String what, int start) {
            if (length < 0 || length > recordEnd - at) {
                throw new IllegalArgumentException("stored message " + what + " of " + length + " bytes at byte "
                        + (at - start) + ", " + (recordEnd - at) + " left");
            }
        }

        private String topic(int at, int length) {
            String last = topic;
            if (last != null && last.length() == length && isAsciiEqual(last, buffer, at, length)) {
                return last;
            }
            String read = buffer.toString(at, length, StandardCharsets.UTF_8);
            topic = read;
            return read;
        }

        private static boolean isAsciiEqual(String s, ByteBuf buffer, int at, int length) {
            for (int i = 0; i < length; i++) {
                if (s.charAt(i) != buffer.getByte(at + i)) { // a non-ASCII byte is negative: never equal
                    return false;
                }
            }
            return true;
        }

        /** The §4.1 property text split into pairs, by the rules of {@link MessageProperties#decode}. */
        private String[] properties(int at, int length) {
            if (length == 0) {
                return NO_PAIRS;
            }
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            byte[] bytes = scratch;
            buffer.getBytes(at, bytes, 0, length);
            int count = 0;
            int start = 0;
            while (start < length) {
                // 0x01 and 0x02 never occur inside a multi-byte UTF-8 sequence: splitting bytes splits characters.
                int separator = -1;
                int i = start;
                while (i < length && bytes[i] != MessageProperties.PROPERTY_SEPARATOR) {
                    if (separator < 0 && bytes[i] == MessageProperties.NAME_VALUE_SEPARATOR) {
                        separator = i;
                    }
                    i++;
                }
                if (separator > start && separator < i - 1) {
                    if (count + 2 > pairScratch.length) {
                        pairScratch = Arrays.copyOf(pairScratch, pairScratch.length * 2);
                    }
                    pairScratch[count++] = string(bytes, start, separator - start);
                    pairScratch[count++] = string(bytes, separator + 1, i - separator - 1);
                }
                start = i + 1;
            }
            return count == 0 ? NO_PAIRS : Arrays.copyOf(pairScratch, count);
        }

        /** The UTF-8 text of {@code bytes[from, from+length)}, the same instance as last time for a short ASCII one. */
        private String string(byte[] bytes, int from, int length) {
            if (length > SHARED_STRING_MAX) {
                return new String(bytes, from, length, StandardCharsets.UTF_8);
            }
            int hash = 0;
            int high = 0;
            for (int i = from; i < from + length; i++) {
                hash = 31 * hash + bytes[i];
                high |= bytes[i];
            }
            if (high < 0) { // not ASCII: made each time
                return new String(bytes, from, length, StandardCharsets.UTF_8);
            }
            int slot = (hash ^ (hash >>> 7)) & (strings.length - 1);
            String cached = strings[slot];
            if (cached != null && cached.length() == length) {
                int i = 0;
                while (i < length && cached.charAt(i) == bytes[from + i]) {
                    i++;
                }
                if (i == length) {
                    return cached;
                }
            }
            String made = new String(bytes, from, length, StandardCharsets.ISO_8859_1); // ASCII: the same text
            strings[slot] = made;
            return made;
        }
    }

    /** The text of the host last read at one place of a record, made again only when the host differs. */
    private static final class HostText {
        byte[] address = new byte[0];
        int port = -1;
        @Nullable String text;

        /** The host at {@code at}: {@code length} address bytes, then the int32 port. */
        String text(ByteBuf buffer, int at, int length) {
            int newPort = buffer.getInt(at + length);
            String last = text;
            if (last != null && newPort == port && address.length == length && sameBytes(buffer, at)) {
                return last;
            }
            byte[] newAddress = new byte[length];
            buffer.getBytes(at, newAddress);
            String made = hostText(newAddress, newPort);
            address = newAddress;
            port = newPort;
            text = made;
            return made;
        }

        private boolean sameBytes(ByteBuf buffer, int at) {
            for (int i = 0; i < address.length; i++) {
                if (address[i] != buffer.getByte(at + i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static byte[] decompress(byte[] body, int sysFlag) {
        int type = sysFlag & SysFlag.COMPRESSION_TYPE_MASK;
        // Type 0 is what clients before typed compression wrote: zlib.
        if (type != 0 && type != SysFlag.COMPRESSION_ZLIB) {
            throw new IllegalArgumentException("stored message body compressed with "
                    + (type == SysFlag.COMPRESSION_LZ4 ? "LZ4" : type == SysFlag.COMPRESSION_ZSTD ? "ZSTD"
                    : "type 0x" + Integer.toHexString(type)) + ", which this client does not read (zlib only)");
        }
        return Compression.inflate(body);
    }

    /** {@code ip:port}, an IPv6 address in brackets. No name lookup. */
    static String hostText(byte[] address, int port) {
        if (address.length == 4) { // the common case, written without InetAddress
            StringBuilder text = new StringBuilder(21);
            text.append(address[0] & 0xFF).append('.').append(address[1] & 0xFF).append('.')
                    .append(address[2] & 0xFF).append('.').append(address[3] & 0xFF);
            return text.append(':').append(port).toString();
        }
        try {
            String ip = InetAddress.getByAddress(address).getHostAddress();
            return (address.length == 16 ? "[" + ip + "]" : ip) + ":" + port;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host address of " + address.length + " bytes", e);
        }
    }

    private static final byte[] HEX_DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /**
     * The offset message id of a message stored at {@code physicalOffset} by the broker at
     * {@code address:port}: the address, port (int32) and offset (int64) bytes in upper-case hex.
     */
    public static String offsetMessageId(byte[] address, int port, long physicalOffset) {
        byte[] hex = new byte[(address.length + 12) * 2];
        int at = 0;
        for (byte b : address) {
            at = hex(hex, at, b);
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            at = hex(hex, at, (byte) (port >>> shift));
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            at = hex(hex, at, (byte) (physicalOffset >>> shift));
        }
        return new String(hex, StandardCharsets.ISO_8859_1);
    }

    private static int hex(byte[] out, int at, byte b) {
        out[at] = HEX_DIGITS[(b >> 4) & 0xF];
        out[at + 1] = HEX_DIGITS[b & 0xF];
        return at + 2;
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
        return storeHost;
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

    /**
     * Every property, reserved ones included, in stored order (the last of duplicate names wins, at the
     * place of the first): a new map on every call.
     */
    public Map<String, String> properties() {
        Map<String, String> all = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            all.put(pairs[i], pairs[i + 1]);
        }
        return all;
    }

    /** The property {@code name} (the last one stored under that name), or null. */
    public @Nullable String property(String name) {
        for (int i = pairs.length - 2; i >= 0; i -= 2) {
            if (pairs[i].equals(name)) {
                return pairs[i + 1];
            }
        }
        return null;
    }

    /** Store host and physical offset as the broker's offset message id. */
    public String offsetMessageId() {
        return offsetMessageId(storeHostAddress, storeHostPort, physicalOffset);
    }

    /** The client message id ({@code UNIQ_KEY}), or the offset message id when the producer set none. */
    public String messageId() {
        String uniq = property(MessageProperties.UNIQ_KEY);
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
        return toReceivedMessage(applicationTopic, new MessageQueue(applicationTopic, brokerName, queueId), 0);
    }

    /**
     * As {@link #toReceivedMessage(String, String)}, read from {@code queue}: a consumer shows a retried
     * message under its original topic while it came from the group's retry queue.
     */
    public ReceivedMessage toReceivedMessage(String applicationTopic, MessageQueue queue) {
        return toReceivedMessage(applicationTopic, queue, 0);
    }

    /**
     * As {@link #toReceivedMessage(String, MessageQueue)}, its queue offset moved by {@code offsetDelta}.
     *
     * @param offsetDelta added to the stored queue offset (a pull answer's {@code offsetDelta}, else 0)
     */
    public ReceivedMessage toReceivedMessage(String applicationTopic, MessageQueue queue, long offsetDelta) {
        // One walk of the pairs: the reserved ones into their accessors, the others into the user's map.
        @Nullable String tags = null;
        @Nullable String keys = null;
        @Nullable String uniqKey = null;
        @Nullable Map<String, String> user = null;
        for (int i = 0; i < pairs.length; i += 2) {
            String name = pairs[i];
            if (MessageProperties.isReserved(name)) {
                switch (name) {
                    case MessageProperties.TAGS -> tags = pairs[i + 1];
                    case MessageProperties.KEYS -> keys = pairs[i + 1];
                    case MessageProperties.UNIQ_KEY -> uniqKey = pairs[i + 1];
                    default -> {
                        // read by the engine where it needs them (property(name)), not shown to the user
                    }
                }
            } else {
                if (user == null) {
                    user = new LinkedHashMap<>();
                }
                user.put(name, pairs[i + 1]);
            }
        }
        String offsetMessageId = offsetMessageId();
        ReceivedMessage.Builder builder = ReceivedMessage.builder(applicationTopic,
                        uniqKey != null ? uniqKey : offsetMessageId, queue)
                .tags(tags)
                .body(body)
                .offsetMessageId(offsetMessageId)
                .queueOffset(queueOffset + offsetDelta)
                .reconsumeTimes(reconsumeTimes)
                .bornTimestamp(bornTimestamp)
                .storeTimestamp(storeTimestamp)
                .bornHost(bornHost)
                .storeHost(storeHost);
        if (keys != null) {
            builder.keys(splitKeys(keys));
        }
        if (user != null) {
            builder.properties(user);
        }
        return builder.build();
    }

    /** {@code KEYS} split at its spaces, empty parts dropped. */
    static List<String> splitKeys(String keys) {
        int space = keys.indexOf(KEY_SEPARATOR);
        if (space < 0) {
            return keys.isEmpty() ? List.of() : List.of(keys);
        }
        List<String> split = new ArrayList<>(4);
        int start = 0;
        while (start <= keys.length()) {
            int end = keys.indexOf(KEY_SEPARATOR, start);
            if (end < 0) {
                end = keys.length();
            }
            if (end > start) {
                split.add(keys.substring(start, end));
            }
            start = end + 1;
        }
        return split;
    }

    @Override
    public String toString() {
        return "StoredMessage[topic=" + topic + ", queueId=" + queueId + ", queueOffset=" + queueOffset
                + ", physicalOffset=" + physicalOffset + ", messageId=" + messageId() + "]";
    }
}
