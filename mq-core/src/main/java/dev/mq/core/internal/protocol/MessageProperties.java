package dev.mq.core.internal.protocol;

import dev.mq.core.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The message property string (send header field {@code i}): {@code name 0x01 value 0x02} per
 * property, with a trailing 0x02 after every pair. Also the well-known property names and the set
 * of names a user may not set.
 *
 * <p>The wire imposes no order. {@link #write} lays out a message's string piece by piece, for
 * {@link OutgoingProperties} to write straight into a frame and {@link #encode(Message, String, boolean)}
 * to build the String.
 */
public final class MessageProperties {

    /** Separates a name from its value. */
    public static final char NAME_VALUE_SEPARATOR = '\u0001';
    /** Ends every name/value pair. */
    public static final char PROPERTY_SEPARATOR = '\u0002';
    /** The properties string is stored with an int16 length, so its UTF-8 form must fit. */
    public static final int MAX_UTF8_LENGTH = Short.MAX_VALUE;

    /** Index keys, space-separated. */
    public static final String KEYS = "KEYS";
    /** The single tag; brokers filter on its hash. */
    public static final String TAGS = "TAGS";
    /** Whether the broker waits for flush/replication before answering; absent means true. */
    public static final String WAIT = "WAIT";
    /** The client message id ({@link MessageIdGenerator}). */
    public static final String UNIQ_KEY = "UNIQ_KEY";
    /** Broker delay level (1..18 on a default broker). */
    public static final String DELAY = "DELAY";
    /** 5.x timer: absolute delivery time, epoch ms. */
    public static final String TIMER_DELIVER_MS = "TIMER_DELIVER_MS";
    /** 5.x timer: relative delay in seconds. */
    public static final String TIMER_DELAY_SEC = "TIMER_DELAY_SEC";
    /** 5.x timer: relative delay in ms. */
    public static final String TIMER_DELAY_MS = "TIMER_DELAY_MS";
    /** Broker timer-wheel internals. */
    public static final String TIMER_OUT_MS = "TIMER_OUT_MS";
    /** Broker timer-wheel internals. */
    public static final String TIMER_ENQUEUE_MS = "TIMER_ENQUEUE_MS";
    /** Broker timer-wheel internals. */
    public static final String TIMER_DEQUEUE_MS = "TIMER_DEQUEUE_MS";
    /** Broker timer-wheel internals. */
    public static final String TIMER_ROLL_TIMES = "TIMER_ROLL_TIMES";
    /** Broker timer-wheel internals. */
    public static final String TIMER_DEL_UNIQKEY = "TIMER_DEL_UNIQKEY";
    /** An Aliyun convention Apache brokers do not act on; reserved so nobody relies on it. */
    public static final String START_DELIVER_TIME = "__STARTDELIVERTIME";
    /** {@code "true"} marks a half (prepared) transactional message. */
    public static final String TRAN_MSG = "TRAN_MSG";
    /** Producer group of a half message; the broker finds the check-back channel by it. */
    public static final String PGROUP = "PGROUP";
    /** First check-back delay of a half message. */
    public static final String CHECK_IMMUNITY_TIME_IN_SECONDS = "CHECK_IMMUNITY_TIME_IN_SECONDS";
    /** Broker's check-back counter. */
    public static final String TRANSACTION_CHECK_TIMES = "TRANSACTION_CHECK_TIMES";
    /** Client-local transaction id. */
    public static final String TRANSACTION_ID = "__transactionId__";
    /** Added by the broker on pull. */
    public static final String MAX_OFFSET = "MAX_OFFSET";
    /** Added by the broker on pull. */
    public static final String MIN_OFFSET = "MIN_OFFSET";
    /** Original topic of a delayed, half or timer message. */
    public static final String REAL_TOPIC = "REAL_TOPIC";
    /** Original queue of a delayed, half or timer message. */
    public static final String REAL_QID = "REAL_QID";
    /** Consumer retry bookkeeping. */
    public static final String RETRY_TOPIC = "RETRY_TOPIC";
    /** Consumer retry bookkeeping. */
    public static final String RECONSUME_TIME = "RECONSUME_TIME";
    /** Consumer retry bookkeeping. */
    public static final String MAX_RECONSUME_TIMES = "MAX_RECONSUME_TIMES";
    /** Consumer retry bookkeeping. */
    public static final String ORIGIN_MESSAGE_ID = "ORIGIN_MESSAGE_ID";
    /** Broker region; also in send responses. */
    public static final String MSG_REGION = "MSG_REGION";
    /** Broker trace switch; also in send responses. */
    public static final String TRACE_ON = "TRACE_ON";
    /** Broker cluster name, added to every stored message. */
    public static final String CLUSTER = "CLUSTER";
    /** Request–reply correlation. */
    public static final String CORRELATION_ID = "CORRELATION_ID";
    /** Request–reply: client id of the requester. */
    public static final String REPLY_TO_CLIENT = "REPLY_TO_CLIENT";
    /** Request–reply: timeout in ms. */
    public static final String TTL = "TTL";
    /** Request–reply: {@code reply}. */
    public static final String MSG_TYPE = "MSG_TYPE";
    /** The {@link #MSG_TYPE} of a reply. */
    public static final String REPLY_TYPE = "reply";
    /** A reply's topic is the request's {@link #CLUSTER} followed by this. */
    public static final String REPLY_TOPIC_SUFFIX = "_REPLY_TOPIC";
    /** Request–reply bookkeeping. */
    public static final String ARRIVE_TIME = "ARRIVE_TIME";
    /** Request–reply bookkeeping. */
    public static final String PUSH_REPLY_TIME = "PUSH_REPLY_TIME";
    /** Namespace, when one is configured. */
    public static final String INSTANCE_ID = "INSTANCE_ID";
    /** 5.x inner-batch bookkeeping. */
    public static final String INNER_NUM = "INNER_NUM";
    /** 5.x inner-batch bookkeeping. */
    public static final String INNER_BASE = "INNER_BASE";
    /** Classifies a message as ordered in metrics. */
    public static final String SHARDING_KEY = "__SHARDINGKEY";

    private static final Set<String> RESERVED = Set.of(
            KEYS, TAGS, WAIT, UNIQ_KEY, DELAY,
            TIMER_DELIVER_MS, TIMER_DELAY_SEC, TIMER_DELAY_MS, TIMER_OUT_MS, TIMER_ENQUEUE_MS,
            TIMER_DEQUEUE_MS, TIMER_ROLL_TIMES, TIMER_DEL_UNIQKEY, START_DELIVER_TIME,
            TRAN_MSG, PGROUP, CHECK_IMMUNITY_TIME_IN_SECONDS, TRANSACTION_CHECK_TIMES, TRANSACTION_ID,
            MAX_OFFSET, MIN_OFFSET, REAL_TOPIC, REAL_QID,
            RETRY_TOPIC, RECONSUME_TIME, MAX_RECONSUME_TIMES, ORIGIN_MESSAGE_ID,
            MSG_REGION, TRACE_ON, CLUSTER,
            CORRELATION_ID, REPLY_TO_CLIENT, TTL, MSG_TYPE, ARRIVE_TIME, PUSH_REPLY_TIME,
            INSTANCE_ID, INNER_NUM, INNER_BASE, SHARDING_KEY);

    /** Longest decimal form of a long, so number values never force the builder to grow. */
    private static final int MAX_LONG_DIGITS = 20;
    /** Characters reserved per user property: name, value and two separators of a typical property. */
    private static final int USER_PROPERTY_ESTIMATE = 32;

    private MessageProperties() {
    }

    /**
     * Whether {@code name} belongs to the client or broker. The send path refuses such names in user
     * properties, because the broker acts on them (a user {@code DELAY} would delay the message).
     */
    public static boolean isReserved(String name) {
        return name != null && RESERVED.contains(name);
    }

    /** Encodes {@code properties} in iteration order. Names and values must already be valid. */
    public static String encode(Map<String, String> properties) {
        int capacity = 0;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            capacity += e.getKey().length() + e.getValue().length() + 2;
        }
        StringBuilder sb = new StringBuilder(capacity);
        for (Map.Entry<String, String> e : properties.entrySet()) {
            appendPair(sb, e.getKey(), e.getValue());
        }
        return sb.toString();
    }

    /**
     * The full property string of one message: its user properties, then {@code TAGS}, {@code KEYS}
     * (space-joined), one delay ({@code DELAY}, else {@code TIMER_DELAY_MS}, else
     * {@code TIMER_DELIVER_MS}), {@code UNIQ_KEY} and {@code WAIT}. The message must already have
     * passed {@link Validation#checkMessage}; a zero {@code deliveryDelay} is still written, as asked.
     * The send path writes the same pieces straight into the frame ({@link OutgoingProperties}); this
     * String form is for the rarer paths (explicit batches) and for tests.
     *
     * @param uniqKey the client message id, or null to leave it out
     * @param wait    whether the broker should wait for flush/replication before answering
     */
    public static String encode(Message message, @Nullable String uniqKey, boolean wait) {
        // User properties are sized by estimate: counting them exactly would mean a second walk of the map.
        int capacity = USER_PROPERTY_ESTIMATE * message.properties().size();
        String tags = message.tags();
        if (tags != null) {
            capacity += TAGS.length() + tags.length() + 2;
        }
        List<String> keys = message.keys();
        int keyCount = keys.size();
        if (keyCount > 0) {
            capacity += KEYS.length() + 2 + keyCount - 1;
            for (int i = 0; i < keyCount; i++) {
                capacity += keys.get(i).length();
            }
        }
        // Room for one delay number; the longest of the three names sizes it.
        capacity += TIMER_DELIVER_MS.length() + MAX_LONG_DIGITS + 2;
        if (uniqKey != null) {
            capacity += UNIQ_KEY.length() + uniqKey.length() + 2;
        }
        capacity += WAIT.length() + 5 + 2;
        StringBuilder sb = new StringBuilder(capacity);
        write(message, uniqKey, wait, new Sink() {
            @Override
            public void text(String s) {
                sb.append(s);
            }

            @Override
            public void separator(char c) {
                sb.append(c);
            }
        });
        return sb.toString();
    }

    /**
     * Receives the property string of a message piece by piece ({@link #write}): names, values and
     * separators, in wire order. Writing the pieces where they go (a frame, a batch record) instead
     * of joining them into a String first saves two copies per send.
     *
     * <p>A sink is a {@code BiConsumer} of one user property so that {@code Map.forEach(sink)} walks
     * the message's properties without an iterator or a capturing lambda: the send path allocates
     * nothing to write them.
     */
    public interface Sink extends BiConsumer<String, String> {

        /** A name or a value (or one key of {@code KEYS}), as it is. */
        void text(String s);

        /** {@link #NAME_VALUE_SEPARATOR}, {@link #PROPERTY_SEPARATOR}, or the space between keys. */
        void separator(char c);

        /** One user property: {@code name 0x01 value 0x02}. */
        @Override
        default void accept(String name, String value) {
            pair(name, value);
        }

        /** {@code name 0x01 value 0x02}. */
        default void pair(String name, String value) {
            text(name);
            separator(NAME_VALUE_SEPARATOR);
            text(value);
            separator(PROPERTY_SEPARATOR);
        }
    }

    /** Writes the property string of {@link #encode(Message, String, boolean)} into {@code sink}, piece by piece. */
    public static void write(Message message, @Nullable String uniqKey, boolean wait, Sink sink) {
        message.properties().forEach(sink);
        String tags = message.tags();
        if (tags != null) {
            sink.pair(TAGS, tags);
        }
        List<String> keys = message.keys();
        int keyCount = keys.size();
        if (keyCount > 0) {
            sink.text(KEYS);
            sink.separator(NAME_VALUE_SEPARATOR);
            sink.text(keys.get(0));
            for (int i = 1; i < keyCount; i++) {
                sink.separator(' ');
                sink.text(keys.get(i));
            }
            sink.separator(PROPERTY_SEPARATOR);
        }
        Duration deliveryDelay = message.deliveryDelay();
        Instant deliverAt = message.deliverAt();
        if (message.delayLevel() > 0) {
            sink.pair(DELAY, Integer.toString(message.delayLevel()));
        } else if (deliveryDelay != null) {
            sink.pair(TIMER_DELAY_MS, Long.toString(deliveryDelay.toMillis()));
        } else if (deliverAt != null) {
            sink.pair(TIMER_DELIVER_MS, Long.toString(deliverAt.toEpochMilli()));
        }
        if (uniqKey != null) {
            sink.pair(UNIQ_KEY, uniqKey);
        }
        sink.pair(WAIT, wait ? "true" : "false");
    }

    /**
     * The request-reply fields of a request, encoded (to follow a message's property string): the
     * requester's correlation id, its client id (where the broker pushes the reply) and its wait in
     * milliseconds.
     */
    public static String requestFields(String correlationId, String replyToClient, long ttlMillis) {
        StringBuilder sb = new StringBuilder(correlationId.length() + replyToClient.length() + 64);
        appendPair(sb, CORRELATION_ID, correlationId);
        appendPair(sb, REPLY_TO_CLIENT, replyToClient);
        appendPair(sb, TTL, Long.toString(ttlMillis));
        return sb.toString();
    }

    /**
     * The fields of a reply, encoded (to follow a message's property string): {@code MSG_TYPE=reply}
     * and the request's correlation id, requester and wait ({@code ttl} as the request carried it,
     * left out when null).
     */
    public static String replyFields(String correlationId, String replyToClient, @Nullable String ttl) {
        StringBuilder sb = new StringBuilder(correlationId.length() + replyToClient.length() + 64);
        appendPair(sb, MSG_TYPE, REPLY_TYPE);
        appendPair(sb, CORRELATION_ID, correlationId);
        appendPair(sb, REPLY_TO_CLIENT, replyToClient);
        if (ttl != null) {
            appendPair(sb, TTL, ttl);
        }
        return sb.toString();
    }

    /**
     * Parses a property string the way brokers and the official client do: segments shorter than
     * three characters, without a separator, or with an empty name or value are dropped; a value
     * keeps any further 0x01; the last of duplicate names wins.
     *
     * @return a mutable map in first-seen order; empty for null or empty input
     */
    public static Map<String, String> decode(String properties) {
        Map<String, String> map = new LinkedHashMap<>();
        if (properties == null) {
            return map;
        }
        int len = properties.length();
        int start = 0;
        while (start < len) {
            int end = properties.indexOf(PROPERTY_SEPARATOR, start);
            if (end < 0) {
                end = len;
            }
            if (end - start >= 3) {
                int sep = properties.indexOf(NAME_VALUE_SEPARATOR, start);
                if (sep > start && sep < end - 1) {
                    map.put(properties.substring(start, sep), properties.substring(sep + 1, end));
                }
            }
            start = end + 1;
        }
        return map;
    }

    /**
     * The length of {@code s} in UTF-8, counted without encoding it. Matches
     * {@code s.getBytes(UTF_8).length}, including the one-byte {@code '?'} that replaces an unpaired
     * surrogate.
     */
    public static int utf8Length(String s) {
        int len = s.length();
        int bytes = len;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                // Two chars become four bytes.
                bytes += 2;
                i++;
            } else if (Character.isSurrogate(c)) {
                // Unpaired: the encoder writes '?', already counted.
                continue;
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    private static void appendPair(StringBuilder sb, String name, String value) {
        sb.append(name).append(NAME_VALUE_SEPARATOR).append(value).append(PROPERTY_SEPARATOR);
    }
}
