package dev.mq.core;

import java.time.Duration;
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
 *
 * <p>Request-reply: a message sent with {@link dev.mq.core.producer.Producer#request} arrives at the
 * responder with {@link #isRequest()} true; its {@link #correlationId()}, {@link #replyToClient()},
 * {@link #requestTtl()} and {@link #cluster()} are what a reply needs
 * ({@link dev.mq.core.producer.Producer#reply}). A reply arrives at the requester with
 * {@link #isReply()} true and the request's correlation id.
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
    private final @Nullable String cluster;
    private final @Nullable String correlationId;
    private final @Nullable String replyToClient;
    private final long requestTtlMillis;
    private final boolean reply;

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
        this.cluster = b.cluster;
        this.correlationId = b.correlationId;
        this.replyToClient = b.replyToClient;
        this.requestTtlMillis = b.requestTtlMillis;
        this.reply = b.reply;
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

    /** The cluster of the broker that stored the message (its {@code CLUSTER} property), or null if unknown. */
    public @Nullable String cluster() {
        return cluster;
    }

    /**
     * The request-reply correlation id ({@code CORRELATION_ID}): set on a request and copied into its
     * reply; null on other messages.
     */
    public @Nullable String correlationId() {
        return correlationId;
    }

    /** The client id of the requester the reply goes to ({@code REPLY_TO_CLIENT}), or null. */
    public @Nullable String replyToClient() {
        return replyToClient;
    }

    /**
     * How long the requester waits for the reply ({@code TTL}, counted from {@link #bornTimestamp()}),
     * or null when the message carries none.
     */
    public @Nullable Duration requestTtl() {
        return requestTtlMillis < 0 ? null : Duration.ofMillis(requestTtlMillis);
    }

    /**
     * Whether this is a request a requester waits for: it names a correlation id and the client to
     * reply to, and is not itself a reply.
     */
    public boolean isRequest() {
        return correlationId != null && replyToClient != null && !reply;
    }

    /** Whether this is a reply ({@code MSG_TYPE=reply}), as a requester receives it. */
    public boolean isReply() {
        return reply;
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
        private @Nullable String cluster;
        private @Nullable String correlationId;
        private @Nullable String replyToClient;
        private long requestTtlMillis = -1;
        private boolean reply;

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

        public Builder cluster(@Nullable String cluster) {
            this.cluster = cluster;
            return this;
        }

        /**
         * The request-reply fields: {@code correlationId} and {@code replyToClient} (null on messages
         * that are neither requests nor replies), the requester's wait ({@code ttlMillis}, negative if
         * unknown) and whether this is the reply.
         */
        public Builder requestReply(@Nullable String correlationId, @Nullable String replyToClient, long ttlMillis,
                                    boolean reply) {
            this.correlationId = correlationId;
            this.replyToClient = replyToClient;
            this.requestTtlMillis = ttlMillis;
            this.reply = reply;
            return this;
        }

        public ReceivedMessage build() {
            return new ReceivedMessage(this);
        }
    }
}
