package dev.mq.core.internal.protocol;

import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
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
        /** The longest run of fields before the body: v6 hosts on both sides. */
        private static final int HEAD_MAX = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + 20 + 8 + 20 + 4 + 8 + 4;
        private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

        private final byte[] head = new byte[HEAD_MAX];
        private byte[] scratch = new byte[512];
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
            int magic = buffer.getInt(start + 4);
            if (magic != MAGIC_V1 && magic != MAGIC_V2) {
                throw new IllegalArgumentException("not a stored message: magic 0x" + Integer.toHexString(magic));
            }
            // The fields before the body in one read: the buffer checks its bounds and reference count per call.
            byte[] h = head;
            int headLength = Math.min(HEAD_MAX, totalSize);
            buffer.getBytes(start, h, 0, headLength);
            // 8: body CRC, which the broker checked when it stored the message
            int at = 12;
            require(at, 4 + 4 + 8 + 8 + 4 + 8, headLength, "header");
            int queueId = intAt(h, at);
            int flag = intAt(h, at + 4);
            long queueOffset = longAt(h, at + 8);
            long physicalOffset = longAt(h, at + 16);
            int sysFlag = intAt(h, at + 24);
            long bornTimestamp = longAt(h, at + 28);
            at += 36;
            int bornLength = (sysFlag & SysFlag.BORNHOST_V6) != 0 ? 16 : 4;
            require(at, bornLength + 4 + 8, headLength, "host");
            String bornHost = born.text(h, at, bornLength);
            at += bornLength + 4;
            long storeTimestamp = longAt(h, at);
            at += 8;
            int storeLength = (sysFlag & SysFlag.STOREHOST_V6) != 0 ? 16 : 4;
            require(at, storeLength + 4 + 4 + 8 + 4, headLength, "host");
            String storeHost = store.text(h, at, storeLength);
            byte[] storeAddress = store.address;
            int storePort = store.port;
            at += storeLength + 4;
            int reconsumeTimes = intAt(h, at);
            long preparedTransactionOffset = longAt(h, at + 4);
            int bodyLength = intAt(h, at + 12);
            at += 16;
            require(at, bodyLength, totalSize, "body");
            byte[] body = new byte[bodyLength];
            buffer.getBytes(start + at, body);
            at += bodyLength;
            if (SysFlag.isCompressed(sysFlag)) {
                body = Compression.decompress(body, sysFlag);
            }
            // The rest (topic and properties) in one read too.
            int tailLength = totalSize - at;
            if (scratch.length < tailLength) {
                scratch = new byte[Math.max(tailLength, scratch.length * 2)];
            }
            byte[] t = scratch;
            buffer.getBytes(start + at, t, 0, tailLength);
            int topicLengthBytes = magic == MAGIC_V1 ? 1 : 2;
            require(0, topicLengthBytes, tailLength, "topic");
            int topicLength = magic == MAGIC_V1 ? t[0] & 0xFF : ((t[0] & 0xFF) << 8) | (t[1] & 0xFF);
            int tat = topicLengthBytes;
            require(tat, topicLength, tailLength, "topic");
            String topic = topic(t, tat, topicLength);
            tat += topicLength;
            require(tat, 2, tailLength, "properties");
            int propertiesLength = ((t[tat] & 0xFF) << 8) | (t[tat + 1] & 0xFF);
            tat += 2;
            require(tat, propertiesLength, tailLength, "properties");
            String[] pairs = properties(t, tat, propertiesLength);
            tat += propertiesLength;
            if (tat != tailLength) {
                throw new IllegalArgumentException("stored message says " + totalSize + " bytes, its fields take "
                        + (at + tat));
            }
            index = start + totalSize;
            return new StoredMessage(topic, queueId, flag, queueOffset, physicalOffset, sysFlag, bornTimestamp,
                    bornHost, storeTimestamp, storeAddress, storePort, storeHost, reconsumeTimes,
                    preparedTransactionOffset, body, pairs);
        }

        private static void require(int at, int length, int limit, String what) {
            if (length < 0 || length > limit - at) {
                throw new IllegalArgumentException("stored message " + what + " of " + length + " bytes at " + at
                        + ", " + (limit - at) + " left");
            }
        }

        private static int intAt(byte[] b, int at) {
            return (int) INT.get(b, at);
        }

        private static long longAt(byte[] b, int at) {
            return (long) LONG.get(b, at);
        }

        private String topic(byte[] bytes, int at, int length) {
            String last = topic;
            if (last != null && last.length() == length && isAsciiEqual(last, bytes, at, length)) {
                return last;
            }
            String read = new String(bytes, at, length, StandardCharsets.UTF_8);
            topic = read;
            return read;
        }

        private static boolean isAsciiEqual(String s, byte[] bytes, int at, int length) {
            for (int i = 0; i < length; i++) {
                if (s.charAt(i) != bytes[at + i]) { // a non-ASCII byte is negative: never equal
                    return false;
                }
            }
            return true;
        }

        /** The §4.1 property text split into pairs, by the rules of {@link MessageProperties#decode}. */
        private String[] properties(byte[] bytes, int from, int length) {
            if (length == 0) {
                return NO_PAIRS;
            }
            int count = 0;
            int start = from;
            int stop = from + length;
            while (start < stop) {
                // 0x01 and 0x02 never occur inside a multi-byte UTF-8 sequence: splitting bytes splits characters.
                int separator = -1;
                int i = start;
                while (i < stop && bytes[i] != MessageProperties.PROPERTY_SEPARATOR) {
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

        /** The host at {@code at} of {@code bytes}: {@code length} address bytes, then the int32 port. */
        String text(byte[] bytes, int at, int length) {
            int newPort = (int) Reader.INT.get(bytes, at + length);
            String last = text;
            if (last != null && newPort == port
                    && Arrays.equals(address, 0, address.length, bytes, at, at + length)) {
                return last;
            }
            byte[] newAddress = Arrays.copyOfRange(bytes, at, at + length);
            String made = hostText(newAddress, newPort);
            address = newAddress;
            port = newPort;
            text = made;
            return made;
        }
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
        @Nullable String cluster = null;
        @Nullable String correlationId = null;
        @Nullable String replyToClient = null;
        @Nullable String ttl = null;
        @Nullable String messageType = null;
        int userCount = 0;
        boolean userNameTwice = false;
        for (int i = 0; i < pairs.length; i += 2) {
            String name = pairs[i];
            if (MessageProperties.isReserved(name)) {
                switch (name) {
                    case MessageProperties.TAGS -> tags = pairs[i + 1];
                    case MessageProperties.KEYS -> keys = pairs[i + 1];
                    case MessageProperties.UNIQ_KEY -> uniqKey = pairs[i + 1];
                    case MessageProperties.CLUSTER -> cluster = pairs[i + 1];
                    case MessageProperties.CORRELATION_ID -> correlationId = pairs[i + 1];
                    case MessageProperties.REPLY_TO_CLIENT -> replyToClient = pairs[i + 1];
                    case MessageProperties.TTL -> ttl = pairs[i + 1];
                    case MessageProperties.MSG_TYPE -> messageType = pairs[i + 1];
                    default -> {
                        // read by the engine where it needs them (property(name)), not shown to the user
                    }
                }
            } else {
                userNameTwice |= userCount > 0 && isUserNameBefore(name, i);
                userCount++;
            }
        }
        String offsetMessageId = offsetMessageId();
        ReceivedMessage.Builder builder = ReceivedMessage.builder(applicationTopic,
                        uniqKey != null ? uniqKey : offsetMessageId, queue)
                .body(body)
                .offsetMessageId(offsetMessageId)
                .queueOffset(queueOffset + offsetDelta)
                .reconsumeTimes(reconsumeTimes)
                .bornTimestamp(bornTimestamp)
                .storeTimestamp(storeTimestamp)
                .bornHost(bornHost)
                .storeHost(storeHost);
        reservedView(builder, tags, keys, cluster, correlationId, replyToClient, ttl, messageType);
        if (userCount > 0) {
            // The builder copies what it is given: a view of the pairs spares a map made only to be copied.
            builder.properties(userNameTwice ? userMap() : new UserProperties(pairs, userCount));
        }
        return builder.build();
    }

    /** Whether a user property before the pair at {@code index} has {@code name} too (a malformed record). */
    private boolean isUserNameBefore(String name, int index) {
        for (int i = 0; i < index; i += 2) {
            if (pairs[i].equals(name) && !MessageProperties.isReserved(pairs[i])) {
                return true;
            }
        }
        return false;
    }

    /** The user's properties as a map: the last of duplicate names wins, at the place of the first. */
    private Map<String, String> userMap() {
        Map<String, String> user = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (!MessageProperties.isReserved(pairs[i])) {
                user.put(pairs[i], pairs[i + 1]);
            }
        }
        return user;
    }

    /**
     * The user's properties of a record whose names are distinct, as a read-only map over its pairs, in
     * stored order: what {@link ReceivedMessage.Builder#properties} copies.
     */
    private static final class UserProperties extends AbstractMap<String, String> {

        private final String[] pairs;
        private final int size;

        UserProperties(String[] pairs, int size) {
            this.pairs = pairs;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public Iterator<Entry<String, String>> iterator() {
                    return new Iterator<>() {
                        private int next = nextUser(0);

                        private int nextUser(int from) {
                            int i = from;
                            while (i < pairs.length && MessageProperties.isReserved(pairs[i])) {
                                i += 2;
                            }
                            return i;
                        }

                        @Override
                        public boolean hasNext() {
                            return next < pairs.length;
                        }

                        @Override
                        public Entry<String, String> next() {
                            if (next >= pairs.length) {
                                throw new NoSuchElementException();
                            }
                            Entry<String, String> entry = Map.entry(pairs[next], pairs[next + 1]);
                            next = nextUser(next + 2);
                            return entry;
                        }
                    };
                }
            };
        }
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

    /**
     * Reads the reserved properties an application sees through accessors (tags, keys, cluster and
     * the request-reply fields) into {@code builder}, and the others as the user's properties.
     */
    static ReceivedMessage.Builder applicationView(ReceivedMessage.Builder builder, Map<String, String> properties) {
        Map<String, String> user = new LinkedHashMap<>();
        properties.forEach((name, value) -> {
            if (!MessageProperties.isReserved(name)) {
                user.put(name, value);
            }
        });
        return reservedView(builder.properties(user), properties.get(MessageProperties.TAGS),
                properties.get(MessageProperties.KEYS), properties.get(MessageProperties.CLUSTER),
                properties.get(MessageProperties.CORRELATION_ID), properties.get(MessageProperties.REPLY_TO_CLIENT),
                properties.get(MessageProperties.TTL), properties.get(MessageProperties.MSG_TYPE));
    }

    /** The reserved properties an application sees through accessors, into {@code builder}. */
    private static ReceivedMessage.Builder reservedView(ReceivedMessage.Builder builder, @Nullable String tags,
                                                        @Nullable String keys, @Nullable String cluster,
                                                        @Nullable String correlationId, @Nullable String replyToClient,
                                                        @Nullable String ttl, @Nullable String messageType) {
        builder.tags(tags).cluster(cluster);
        if (keys != null) {
            builder.keys(splitKeys(keys));
        }
        if (correlationId != null) { // requests and replies only
            builder.requestReply(correlationId, replyToClient, ttlMillis(ttl),
                    MessageProperties.REPLY_TYPE.equals(messageType));
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
