package dev.mq.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message as the broker stored it: what a consumer receives, and what a transaction checker is
 * asked about. Immutable; the body is shared, not copied — do not modify it.
 *
 * <p>{@link #messageId()} is the id the producer's {@link SendResult#messageId()} returned (the
 * client-made {@code UNIQ_KEY}); for a transactional message it is also the transaction id.
 * {@link #properties()} holds the user's properties only: the keys RocketMQ reserves for itself
 * (tags, keys, ids, transaction and retry bookkeeping) are read into their own accessors.
 */
public final class ReceivedMessage {

    private final String topic;
    private final @Nullable String tags;
    private final List<String> keys;
    private final byte[] body;
    private final Map<String, String> properties;
    private final String messageId;
    private final @Nullable String offsetMessageId;
    private final MessageQueue queue;
    private final long queueOffset;
    private final int reconsumeTimes;
    private final long bornTimestamp;
    private final long storeTimestamp;
    private final @Nullable String bornHost;
    private final @Nullable String storeHost;

    private ReceivedMessage(Builder b) {
        this.topic = Objects.requireNonNull(b.topic, "topic");
        this.tags = b.tags;
        this.keys = b.keys; // already an immutable copy
        this.body = Objects.requireNonNull(b.body, "body");
        // The builder's own copy, which it never changes in place: wrapping it is enough.
        this.properties = b.properties.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(b.properties);
        this.messageId = Objects.requireNonNull(b.messageId, "messageId");
        this.offsetMessageId = b.offsetMessageId;
        this.queue = Objects.requireNonNull(b.queue, "queue");
        this.queueOffset = b.queueOffset;
        this.reconsumeTimes = b.reconsumeTimes;
        this.bornTimestamp = b.bornTimestamp;
        this.storeTimestamp = b.storeTimestamp;
        this.bornHost = b.bornHost;
        this.storeHost = b.storeHost;
    }

    /**
     * Starts a received message: for the engine, which decodes them, and for tests of code that
     * handles them.
     */
    public static Builder builder(String topic, String messageId, MessageQueue queue) {
        return new Builder(topic, messageId, queue);
    }

    /** The topic as the application names it (without a namespace). */
    public String topic() {
        return topic;
    }

    /** The tag, or null. */
    public @Nullable String tags() {
        return tags;
    }

    /** The index keys. */
    public List<String> keys() {
        return keys;
    }

    /** The body, decompressed. Shared, not copied: do not modify it. */
    public byte[] body() {
        return body;
    }

    /** The user's properties, in the order they were stored. */
    public Map<String, String> properties() {
        return properties;
    }

    /** The user property {@code name}, or null. */
    public @Nullable String property(String name) {
        return properties.get(name);
    }

    /** The client message id ({@code UNIQ_KEY}): what the producer's send returned; a transaction's id. */
    public String messageId() {
        return messageId;
    }

    /** The broker's offset message id (store host and commit-log offset), or null if unknown. */
    public @Nullable String offsetMessageId() {
        return offsetMessageId;
    }

    /** The queue the message was stored in (under the application's topic name). */
    public MessageQueue queue() {
        return queue;
    }

    /** The message's offset in its queue. */
    public long queueOffset() {
        return queueOffset;
    }

    /** How many times the message was delivered again after a consumer asked for a retry. */
    public int reconsumeTimes() {
        return reconsumeTimes;
    }

    /** When the producer created the message (epoch milliseconds). */
    public long bornTimestamp() {
        return bornTimestamp;
    }

    /** When the broker stored it (epoch milliseconds). */
    public long storeTimestamp() {
        return storeTimestamp;
    }

    /** The producer's address ({@code ip:port}), or null if unknown. */
    public @Nullable String bornHost() {
        return bornHost;
    }

    /** The storing broker's address ({@code ip:port}), or null if unknown. */
    public @Nullable String storeHost() {
        return storeHost;
    }

    @Override
    public String toString() {
        return "ReceivedMessage[topic=" + topic + ", messageId=" + messageId + ", queue=" + queue + ", queueOffset="
                + queueOffset + ", tags=" + tags + ", keys=" + keys + ", bodyBytes=" + body.length
                + ", reconsumeTimes=" + reconsumeTimes + "]";
    }

    /** Collects the parts of a {@link ReceivedMessage}. Not thread-safe. */
    public static final class Builder {

        private final String topic;
        private final String messageId;
        private final MessageQueue queue;
        private @Nullable String tags;
        /** Immutable: {@link #keys(List)} takes a copy. */
        private List<String> keys = List.of();
        private byte[] body = new byte[0];
        /**
         * A copy made by {@link #properties(Map)}, never changed in place afterwards: the messages built
         * share it (read-only), so a method that changes it must replace it with a new map instead.
         */
        private Map<String, String> properties = Map.of();
        private @Nullable String offsetMessageId;
        private long queueOffset;
        private int reconsumeTimes;
        private long bornTimestamp;
        private long storeTimestamp;
        private @Nullable String bornHost;
        private @Nullable String storeHost;

        private Builder(String topic, String messageId, MessageQueue queue) {
            this.topic = topic;
            this.messageId = messageId;
            this.queue = queue;
        }

        public Builder tags(@Nullable String tags) {
            this.tags = tags;
            return this;
        }

        public Builder keys(List<String> keys) {
            this.keys = List.copyOf(keys); // no copy when it is already an immutable list
            return this;
        }

        public Builder body(byte[] body) {
            this.body = body;
            return this;
        }

        public Builder properties(Map<String, String> properties) {
            this.properties = new LinkedHashMap<>(properties);
            return this;
        }

        public Builder offsetMessageId(@Nullable String offsetMessageId) {
            this.offsetMessageId = offsetMessageId;
            return this;
        }

        public Builder queueOffset(long queueOffset) {
            this.queueOffset = queueOffset;
            return this;
        }

        public Builder reconsumeTimes(int reconsumeTimes) {
            this.reconsumeTimes = reconsumeTimes;
            return this;
        }

        public Builder bornTimestamp(long bornTimestamp) {
            this.bornTimestamp = bornTimestamp;
            return this;
        }

        public Builder storeTimestamp(long storeTimestamp) {
            this.storeTimestamp = storeTimestamp;
            return this;
        }

        public Builder bornHost(@Nullable String bornHost) {
            this.bornHost = bornHost;
            return this;
        }

        public Builder storeHost(@Nullable String storeHost) {
            this.storeHost = storeHost;
            return this;
        }

        public ReceivedMessage build() {
            return new ReceivedMessage(this);
        }
    }
}
