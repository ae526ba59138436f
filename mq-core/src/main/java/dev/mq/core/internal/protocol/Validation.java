package dev.mq.core.internal.protocol;

import dev.mq.core.ConfigException;
import dev.mq.core.MQException;
import dev.mq.core.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Client-side checks that run before any I/O, so that a bad topic, group or message fails at once
 * with a message that names the value and the rule, instead of a broker code later. Every failure
 * is {@link MQException#validation}; a refused setting is its {@link ConfigException}. Runs once per message: no regular expressions, and nothing is
 * allocated unless a check fails.
 */
public final class Validation {

    /** Longest topic name clients accept (the store allows 127 bytes). */
    public static final int MAX_TOPIC_LENGTH = 127;
    /** Longest group name clients accept. */
    public static final int MAX_GROUP_LENGTH = 255;
    /** The broker's default {@code maxMessageSize}. */
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
    /**
     * Longest timeout (or wait) the client accepts: 100 years. Deadlines are nanosecond clock values;
     * a longer duration could overflow them (beyond about 292 years it cannot even be expressed in
     * nanoseconds), and no send waits that long anyway.
     */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(36_500);

    private static final String CHARSET_RULE = "only letters, digits, '%', '|', '_' and '-' are allowed";
    private static final String SEPARATOR_RULE =
            "contains \\u0001 or \\u0002, which separate properties on the wire and are not allowed";
    private static final String SYSTEM_TOPIC_PREFIX = "rmq_sys_";
    private static final Set<String> FORBIDDEN_TOPICS = Set.of(
            "SCHEDULE_TOPIC_XXXX", "RMQ_SYS_TRANS_HALF_TOPIC", "RMQ_SYS_TRANS_OP_HALF_TOPIC",
            "TRANS_CHECK_MAX_TIME_TOPIC", "SELF_TEST_TOPIC", "OFFSET_MOVED_EVENT", "TBW102");
    /** Error messages quote at most this much of a bad value. */
    private static final int QUOTE_LIMIT = 80;

    private static final boolean[] NAME_CHARS = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            NAME_CHARS[c] = true;
            NAME_CHARS[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            NAME_CHARS[c] = true;
        }
        NAME_CHARS['%'] = true;
        NAME_CHARS['|'] = true;
        NAME_CHARS['_'] = true;
        NAME_CHARS['-'] = true;
    }

    private Validation() {
    }

    /** A topic a producer may send to: 1..127 of {@code %|a-zA-Z0-9_-}, not a system topic. */
    public static void checkTopic(String topic) {
        checkName("topic", topic, MAX_TOPIC_LENGTH);
        if (FORBIDDEN_TOPICS.contains(topic) || topic.startsWith(SYSTEM_TOPIC_PREFIX)) {
            throw MQException.validation("topic " + quote(topic)
                    + " is a RocketMQ system topic: producers may not send to it");
        }
    }

    /**
     * A topic as it travels with a namespace, {@code namespace%topic}: the store's length limit
     * applies to that whole name, not only to the part the user wrote. Call after {@link #checkTopic}.
     */
    public static void checkNamespacedTopic(String namespace, String topic) {
        int length = namespace.length() + 1 + topic.length();
        if (length > MAX_TOPIC_LENGTH) {
            throw MQException.validation("topic " + quote(topic) + " with namespace " + quote(namespace) + " is "
                    + length + " characters long on the wire (namespace%topic): at most " + MAX_TOPIC_LENGTH
                    + " are allowed");
        }
    }

    /**
     * A timeout that must be positive ({@code allowZero} false) or not negative, and at most
     * {@link #MAX_TIMEOUT}; {@code what} names it in the error (e.g. "send timeout").
     */
    public static void checkTimeout(String what, @Nullable Duration timeout, boolean allowZero) {
        String problem = timeoutProblem(what, timeout, allowZero);
        if (problem != null) {
            throw MQException.validation(problem);
        }
    }

    /**
     * As {@link #checkTimeout}, for a configured setting: the error is a {@link ConfigException} that
     * names {@code setting} (the builder method) and the value.
     */
    public static void checkTimeoutSetting(String setting, String what, @Nullable Duration timeout, boolean allowZero) {
        String problem = timeoutProblem(what, timeout, allowZero);
        if (problem != null) {
            throw new ConfigException(setting, timeout, problem);
        }
    }

    private static @Nullable String timeoutProblem(String what, @Nullable Duration timeout, boolean allowZero) {
        if (timeout == null || timeout.isNegative() || (!allowZero && timeout.isZero())) {
            return what + (allowZero ? " must not be negative" : " must be positive") + ", got " + timeout;
        }
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            return what + " must be at most " + MAX_TIMEOUT.toDays() + " days, got " + timeout;
        }
        return null;
    }

    /** A producer or consumer group name: 1..255 of {@code %|a-zA-Z0-9_-}. */
    public static void checkGroup(@Nullable String group) {
        checkName("group", group, MAX_GROUP_LENGTH);
    }

    /**
     * As {@link #checkGroup}, for a configured setting: the error is a {@link ConfigException} naming it.
     *
     * @return {@code group}, known to be valid (and so not null)
     */
    public static String checkGroupSetting(String setting, @Nullable String group) {
        String problem = nameProblem("group", group, MAX_GROUP_LENGTH);
        if (problem != null || group == null) {
            throw new ConfigException(setting, group, problem);
        }
        return group;
    }

    /**
     * A message that may be sent: valid topic; body present, non-empty and at most
     * {@code maxBodyBytes}; a non-blank tag; non-empty keys without spaces; user properties with
     * non-empty names and values, not reserved; at most one non-negative delay form. Names, values,
     * tags and keys must not hold 0x01 or 0x02, which separate properties on the wire.
     *
     * @return the message's body, known to be present
     */
    public static byte[] checkMessage(@Nullable Message message, int maxBodyBytes) {
        if (message == null) {
            throw MQException.validation("message is null");
        }
        checkTopic(message.topic());
        byte[] body = checkBody(message.body(), maxBodyBytes);
        checkTags(message.tags());
        checkKeys(message.keys());
        checkProperties(message.properties());
        checkDelay(message);
        return body;
    }

    /** An encoded property string that fits the int16 length it is stored with. */
    public static int checkPropertiesSize(String encodedProperties) {
        int len = MessageProperties.utf8Length(encodedProperties);
        if (len > MessageProperties.MAX_UTF8_LENGTH) {
            throw MQException.validation("message properties are " + len + " bytes in UTF-8 (tags, keys and"
                    + " properties together): at most " + MessageProperties.MAX_UTF8_LENGTH + " are allowed");
        }
        return len;
    }

    private static void checkName(String what, @Nullable String name, int maxLength) {
        String problem = nameProblem(what, name, maxLength);
        if (problem != null) {
            throw MQException.validation(problem);
        }
    }

    /** What is wrong with {@code name}, or null: allocates nothing for a valid name. */
    private static @Nullable String nameProblem(String what, @Nullable String name, int maxLength) {
        if (name == null) {
            return what + " is null: a " + what + " name is required";
        }
        if (name.isBlank()) {
            return what + " " + quote(name) + " is blank: a " + what + " name is required";
        }
        if (name.length() > maxLength) {
            return what + " " + quote(name) + " is " + name.length() + " characters long: at most " + maxLength
                    + " are allowed";
        }
        for (int i = 0, n = name.length(); i < n; i++) {
            char c = name.charAt(i);
            if (c >= 128 || !NAME_CHARS[c]) {
                return what + " " + quote(name) + " contains illegal characters: " + CHARSET_RULE;
            }
        }
        return null;
    }

    private static byte[] checkBody(byte @Nullable [] body, int maxBodyBytes) {
        if (body == null) {
            throw MQException.validation("message body is null: a message needs a non-empty body");
        }
        if (body.length == 0) {
            throw MQException.validation("message body is empty: a message needs a non-empty body");
        }
        if (body.length > maxBodyBytes) {
            throw MQException.validation("message body is " + body.length + " bytes: at most " + maxBodyBytes
                    + " are allowed (the broker's maxMessageSize)");
        }
        return body;
    }

    private static void checkTags(@Nullable String tags) {
        if (tags == null) {
            return;
        }
        if (tags.isBlank()) {
            throw MQException.validation("tags " + quote(tags) + " is blank: leave tags unset or give a non-blank tag");
        }
        if (hasSeparator(tags)) {
            throw MQException.validation("tags " + quote(tags) + " " + SEPARATOR_RULE);
        }
    }

    private static void checkKeys(List<String> keys) {
        for (int i = 0, n = keys.size(); i < n; i++) {
            String key = keys.get(i);
            if (key == null || key.isEmpty()) {
                throw MQException.validation("message key #" + i + " is " + (key == null ? "null" : "empty")
                        + ": keys must be non-empty");
            }
            if (key.indexOf(' ') >= 0) {
                throw MQException.validation("message key " + quote(key)
                        + " contains a space: keys travel space-separated, so a key cannot hold one");
            }
            if (hasSeparator(key)) {
                throw MQException.validation("message key " + quote(key) + " " + SEPARATOR_RULE);
            }
        }
    }

    private static void checkProperties(Map<String, String> properties) {
        properties.forEach(Validation::checkProperty); // forEach: no iterator or entry wrappers per send
    }

    private static void checkProperty(String name, String value) {
        if (name == null || name.isEmpty()) {
            throw MQException.validation("message property name is " + (name == null ? "null" : "empty")
                    + ": property names must be non-empty");
        }
        if (value == null || value.isEmpty()) {
            String kind = value == null ? "a null" : "an empty";
            throw MQException.validation("message property " + quote(name) + " has " + kind
                    + " value: brokers drop properties with empty values");
        }
        if (hasSeparator(name)) {
            throw MQException.validation("message property name " + quote(name) + " " + SEPARATOR_RULE);
        }
        if (hasSeparator(value)) {
            throw MQException.validation("value " + quote(value) + " of message property " + quote(name) + " "
                    + SEPARATOR_RULE);
        }
        if (MessageProperties.isReserved(name)) {
            throw MQException.validation("message property name " + quote(name) + " is reserved for"
                    + " RocketMQ's own use: choose another name (tags, keys and delays have builder methods)");
        }
    }

    private static void checkDelay(Message message) {
        int level = message.delayLevel();
        Duration delay = message.deliveryDelay();
        Instant at = message.deliverAt();
        if (level < 0) {
            throw MQException.validation("delay level " + level + " is negative: use 0 for none or 1..18");
        }
        if (delay != null) {
            if (delay.isNegative()) {
                throw MQException.validation("delivery delay " + delay + " is negative: it must be zero or more");
            }
            if (delay.compareTo(Duration.ofMillis(Long.MAX_VALUE)) > 0) {
                throw MQException.validation("delivery delay " + delay + " is too long to express in milliseconds");
            }
        }
        if (at != null && (at.isBefore(Instant.EPOCH) || at.isAfter(Instant.ofEpochMilli(Long.MAX_VALUE)))) {
            throw MQException.validation("delivery time " + at + " is outside the range of epoch milliseconds");
        }
        int forms = (level > 0 ? 1 : 0) + (delay != null ? 1 : 0) + (at != null ? 1 : 0);
        if (forms > 1) {
            throw MQException.validation("message asks for " + forms + " kinds of delay (delay level " + level
                    + ", delivery delay " + delay + ", deliver at " + at + "): set only one");
        }
    }

    private static boolean hasSeparator(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == MessageProperties.NAME_VALUE_SEPARATOR || c == MessageProperties.PROPERTY_SEPARATOR) {
                return true;
            }
        }
        return false;
    }

    /** The value in single quotes, shortened and with control characters made visible. */
    private static String quote(String value) {
        int n = Math.min(value.length(), QUOTE_LIMIT);
        StringBuilder sb = new StringBuilder(n + 8).append('\'');
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (value.length() > n) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
