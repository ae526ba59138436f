package dev.mq.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An immutable message to send. Build one with {@link #builder(String)}:
 *
 * <pre>{@code
 * Message m = Message.builder("Orders").tags("created").keys("o-42")
 *         .body("{\"id\":42}".getBytes(UTF_8)).property("tenant", "acme").build();
 * }</pre>
 *
 * <p>The builder only collects values; the rules (topic syntax, sizes, reserved property names) are
 * checked when the message is sent, before any I/O, and fail with {@link MQException.Reason#VALIDATION}.
 */
public final class Message {

    private final String topic;
    private final @Nullable String tags;
    private final List<String> keys;
    private final byte @Nullable [] body;
    private final Map<String, String> properties;
    private final int flag;
    private final int delayLevel;
    private final @Nullable Duration deliveryDelay;
    private final @Nullable Instant deliverAt;

    private Message(Builder b) {
        this.topic = b.topic;
        this.tags = b.tags;
        // The builder hands its collections over instead of copying them (one message per builder is
        // the common case) and copies them itself if it is changed afterwards. Not List.copyOf: it
        // throws NullPointerException on a null key, which must instead fail at send with VALIDATION.
        this.keys = b.keys.isEmpty() ? List.of() : Collections.unmodifiableList(b.keys);
        this.body = b.body;
        this.properties = b.properties.isEmpty() ? Map.of() : Collections.unmodifiableMap(b.properties);
        b.handedOver = true;
        this.flag = b.flag;
        this.delayLevel = b.delayLevel;
        this.deliveryDelay = b.deliveryDelay;
        this.deliverAt = b.deliverAt;
    }

    /** Starts a message for {@code topic}. */
    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    public String topic() {
        return topic;
    }

    /** The tag, or null. A RocketMQ message carries at most one tag. */
    public @Nullable String tags() {
        return tags;
    }

    /** Index keys; sent space-separated in the {@code KEYS} property. */
    public List<String> keys() {
        return keys;
    }

    /**
     * The body. The array is shared, not copied, so that large bodies go to the wire without a
     * copy: do not modify it after building the message.
     */
    public byte @Nullable [] body() {
        return body;
    }

    /** User properties, in insertion order. */
    public Map<String, String> properties() {
        return properties;
    }

    /** The user flag, stored by the broker as is. */
    public int flag() {
        return flag;
    }

    /** The broker delay level (1..18 on a default broker), or 0 for none. */
    public int delayLevel() {
        return delayLevel;
    }

    /** A relative delivery delay (5.x timer), or null. */
    public @Nullable Duration deliveryDelay() {
        return deliveryDelay;
    }

    /** An absolute delivery time (5.x timer), or null. */
    public @Nullable Instant deliverAt() {
        return deliverAt;
    }

    /** Whether any form of delayed delivery was asked for. */
    public boolean isDelayed() {
        return delayLevel > 0 || deliveryDelay != null || deliverAt != null;
    }

    /** A builder holding this message's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(topic);
        b.tags = tags;
        b.keys.addAll(keys);
        b.body = body;
        b.properties.putAll(properties);
        b.flag = flag;
        b.delayLevel = delayLevel;
        b.deliveryDelay = deliveryDelay;
        b.deliverAt = deliverAt;
        return b;
    }

    @Override
    public String toString() {
        return "Message[topic=" + topic + ", tags=" + tags + ", keys=" + keys + ", bodyBytes="
                + (body == null ? 0 : body.length) + ", properties=" + properties.keySet() + "]";
    }

    /** Collects the parts of a {@link Message}. Not thread-safe. */
    public static final class Builder {

        private String topic;
        private @Nullable String tags;
        private List<String> keys = new ArrayList<>();
        private byte @Nullable [] body;
        private Map<String, String> properties = new LinkedHashMap<>();
        /** {@link #keys} and {@link #properties} belong to a built message: copy before changing them. */
        private boolean handedOver;
        private int flag;
        private int delayLevel;
        private @Nullable Duration deliveryDelay;
        private @Nullable Instant deliverAt;

        private Builder(String topic) {
            this.topic = topic;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder tags(@Nullable String tags) {
            this.tags = tags;
            return this;
        }

        /**
         * Adds index keys (each must be non-empty and free of spaces).
         *
         * @throws MQException VALIDATION if the array itself is null (null elements fail at send)
         */
        public Builder keys(String... keys) {
            if (keys == null) {
                throw MQException.validation("keys must not be null: pass no keys, or non-empty keys");
            }
            ownCollections();
            Collections.addAll(this.keys, keys);
            return this;
        }

        /** @throws MQException VALIDATION if the list itself is null (null elements fail at send) */
        public Builder keys(List<String> keys) {
            if (keys == null) {
                throw MQException.validation("keys must not be null: pass an empty list for none");
            }
            ownCollections();
            this.keys.addAll(keys);
            return this;
        }

        /** The body, shared and not copied (see {@link Message#body()}). */
        public Builder body(byte @Nullable [] body) {
            this.body = body;
            return this;
        }

        /** The body as UTF-8. */
        public Builder body(@Nullable String body) {
            this.body = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Adds a user property; reserved system names are refused when the message is sent. */
        public Builder property(String name, String value) {
            ownCollections();
            this.properties.put(name, value);
            return this;
        }

        /** @throws MQException VALIDATION if the map itself is null (bad entries fail at send) */
        public Builder properties(Map<String, String> properties) {
            if (properties == null) {
                throw MQException.validation("properties must not be null: pass an empty map for none");
            }
            ownCollections();
            this.properties.putAll(properties);
            return this;
        }

        public Builder flag(int flag) {
            this.flag = flag;
            return this;
        }

        /** Delivers after the broker's delay level {@code level} (1 = 1 s ... 18 = 2 h on a default broker). */
        public Builder delayLevel(int level) {
            this.delayLevel = level;
            return this;
        }

        /** Delivers after {@code delay} (RocketMQ 5.x timer; a 4.9 broker delivers at once). */
        public Builder deliveryDelay(@Nullable Duration delay) {
            this.deliveryDelay = delay;
            return this;
        }

        /** Delivers at {@code time} (RocketMQ 5.x timer; a 4.9 broker delivers at once). */
        public Builder deliverAt(@Nullable Instant time) {
            this.deliverAt = time;
            return this;
        }

        public Message build() {
            return new Message(this);
        }

        private void ownCollections() {
            if (handedOver) {
                keys = new ArrayList<>(keys);
                properties = new LinkedHashMap<>(properties);
                handedOver = false;
            }
        }
    }

}
