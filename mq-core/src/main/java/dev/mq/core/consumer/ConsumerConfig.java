package dev.mq.core.consumer;

import dev.mq.core.ConfigException;
import dev.mq.core.MQException;
import dev.mq.core.internal.protocol.Validation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * Settings of one push consumer. Only the group and one subscription are required; every other
 * knob has a default that suits most applications, defined once as the {@code DEFAULT_*} constants
 * below (or, for settings without one, in the builder method's description).
 *
 * <p>{@link Builder#build()} refuses a bad setting, or settings that do not fit together, with a
 * {@link ConfigException} whose {@link ConfigException#setting() setting()} is the builder method's
 * name ({@code concurrency}, {@code subscribe}, {@code maxCachedBytes}, ...).
 *
 * <pre>{@code
 * ConsumerConfig config = ConsumerConfig.builder()
 *         .group("billing")
 *         .subscribe("Orders", "created || paid")
 *         .concurrency(16)
 *         .build();
 * }</pre>
 */
public final class ConsumerConfig {

    /** Default {@link Builder#concurrency}: 20 handler threads, as the official client's minimum. */
    public static final int DEFAULT_CONCURRENCY = 20;
    /** Default {@link Builder#maxReconsumeTimes}: 16 re-deliveries, then the dead-letter topic. */
    public static final int DEFAULT_MAX_RECONSUME_TIMES = 16;
    /** Default {@link Builder#batchSize}: 32 messages per batch listener call. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Default {@link Builder#pullBatchSize}: 32 messages per pull request. */
    public static final int DEFAULT_PULL_BATCH_SIZE = 32;
    /** Default {@link Builder#maxCachedMessages}: 10,000 messages over all queues. */
    public static final int DEFAULT_MAX_CACHED_MESSAGES = 10_000;
    /** Default {@link Builder#maxCachedBytes}: 64 MiB of bodies over all queues. */
    public static final long DEFAULT_MAX_CACHED_BYTES = 64L * 1024 * 1024;
    /** Default {@link Builder#commitInterval}: 5 s. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(5);
    /** Default {@link Builder#shutdownTimeout}: 30 s. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link Builder#orderlyRetryDelay}: 1 s. */
    public static final Duration DEFAULT_ORDERLY_RETRY_DELAY = Duration.ofSeconds(1);
    /** Most handler threads, batch sizes and pull sizes accepted. */
    public static final int MAX_CONCURRENCY = 1024;
    /** Largest {@link Builder#pullBatchSize} and {@link Builder#batchSize}: the broker returns at most this many. */
    public static final int MAX_BATCH_SIZE = 1024;

    private final String group;
    private final Map<String, MessageSelector> subscriptions;
    private final MessageModel messageModel;
    private final ConsumeFrom consumeFrom;
    private final int concurrency;
    private final boolean orderly;
    private final int maxReconsumeTimes;
    private final int batchSize;
    private final int pullBatchSize;
    private final int maxCachedMessages;
    private final long maxCachedBytes;
    private final Duration commitInterval;
    private final Duration shutdownTimeout;
    private final Duration orderlyRetryDelay;
    private final Path offsetStoreDirectory;
    private final QueueAllocationStrategy queueAllocation;
    private final @Nullable ThreadFactory threadFactory;
    private final List<ConsumeHook> hooks;

    private ConsumerConfig(Builder b, String group) {
        this.group = group;
        this.subscriptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.subscriptions));
        this.messageModel = b.messageModel;
        this.consumeFrom = b.consumeFrom;
        this.concurrency = b.concurrency;
        this.orderly = b.orderly;
        this.maxReconsumeTimes = b.maxReconsumeTimes;
        this.batchSize = b.batchSize;
        this.pullBatchSize = b.pullBatchSize;
        this.maxCachedMessages = b.maxCachedMessages;
        this.maxCachedBytes = b.maxCachedBytes;
        this.commitInterval = b.commitInterval;
        this.shutdownTimeout = b.shutdownTimeout;
        this.orderlyRetryDelay = b.orderlyRetryDelay;
        this.offsetStoreDirectory = b.offsetStoreDirectory;
        this.queueAllocation = b.queueAllocation;
        this.threadFactory = b.threadFactory;
        this.hooks = List.copyOf(b.hooks);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The consumer group (without a namespace). */
    public String group() {
        return group;
    }

    /** Topic to selector, in the order subscribed. */
    public Map<String, MessageSelector> subscriptions() {
        return subscriptions;
    }

    public MessageModel messageModel() {
        return messageModel;
    }

    public ConsumeFrom consumeFrom() {
        return consumeFrom;
    }

    public int concurrency() {
        return concurrency;
    }

    public boolean orderly() {
        return orderly;
    }

    public int maxReconsumeTimes() {
        return maxReconsumeTimes;
    }

    public int batchSize() {
        return batchSize;
    }

    public int pullBatchSize() {
        return pullBatchSize;
    }

    public int maxCachedMessages() {
        return maxCachedMessages;
    }

    public long maxCachedBytes() {
        return maxCachedBytes;
    }

    public Duration commitInterval() {
        return commitInterval;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    public Duration orderlyRetryDelay() {
        return orderlyRetryDelay;
    }

    public Path offsetStoreDirectory() {
        return offsetStoreDirectory;
    }

    public QueueAllocationStrategy queueAllocation() {
        return queueAllocation;
    }

    /** The factory of handler threads, or null for the consumer's own daemon threads. */
    public @Nullable ThreadFactory threadFactory() {
        return threadFactory;
    }

    public List<ConsumeHook> hooks() {
        return hooks;
    }

    /** A builder holding this configuration's settings, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.group = group;
        b.subscriptions.putAll(subscriptions);
        b.messageModel = messageModel;
        b.consumeFrom = consumeFrom;
        b.concurrency = concurrency;
        b.orderly = orderly;
        b.maxReconsumeTimes = maxReconsumeTimes;
        b.batchSize = batchSize;
        b.pullBatchSize = pullBatchSize;
        b.maxCachedMessages = maxCachedMessages;
        b.maxCachedBytes = maxCachedBytes;
        b.commitInterval = commitInterval;
        b.shutdownTimeout = shutdownTimeout;
        b.orderlyRetryDelay = orderlyRetryDelay;
        b.offsetStoreDirectory = offsetStoreDirectory;
        b.queueAllocation = queueAllocation;
        b.threadFactory = threadFactory;
        b.hooks.addAll(hooks);
        return b;
    }

    @Override
    public String toString() {
        return "ConsumerConfig[group=" + group + ", subscriptions=" + subscriptions + ", " + messageModel
                + (orderly ? ", orderly" : "") + ", concurrency=" + concurrency + "]";
    }

    /** Collects consumer settings; {@link #build()} validates them. */
    public static final class Builder {

        private @Nullable String group;
        private final Map<String, MessageSelector> subscriptions = new LinkedHashMap<>();
        private MessageModel messageModel = MessageModel.CLUSTERING;
        private ConsumeFrom consumeFrom = ConsumeFrom.LAST_OFFSET;
        private int concurrency = DEFAULT_CONCURRENCY;
        private boolean orderly;
        private int maxReconsumeTimes = DEFAULT_MAX_RECONSUME_TIMES;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int pullBatchSize = DEFAULT_PULL_BATCH_SIZE;
        private int maxCachedMessages = DEFAULT_MAX_CACHED_MESSAGES;
        private long maxCachedBytes = DEFAULT_MAX_CACHED_BYTES;
        private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration orderlyRetryDelay = DEFAULT_ORDERLY_RETRY_DELAY;
        private Path offsetStoreDirectory = Path.of(System.getProperty("user.home"), ".mq", "offsets");
        private QueueAllocationStrategy queueAllocation = QueueAllocationStrategy.averagely();
        private @Nullable ThreadFactory threadFactory;
        private final List<ConsumeHook> hooks = new ArrayList<>();

        private Builder() {
        }

        /** The consumer group (required): letters, digits, {@code %|_-}, at most 255 characters. */
        public Builder group(String group) {
            this.group = group;
            return this;
        }

        /**
         * Subscribes to {@code topic}'s messages whose tag matches {@code tagExpression}
         * ({@code "created || paid"}, or {@code "*"} for all). Subscribing to a topic again replaces
         * its selector.
         */
        public Builder subscribe(String topic, String tagExpression) {
            MessageSelector selector;
            try {
                selector = MessageSelector.tags(tagExpression);
            } catch (MQException e) {
                throw new ConfigException("subscribe", tagExpression, e.getMessage());
            }
            return subscribe(topic, selector);
        }

        /** Subscribes to {@code topic}'s messages that {@code selector} selects (tags or SQL92). */
        public Builder subscribe(String topic, MessageSelector selector) {
            try {
                Validation.checkTopic(topic);
            } catch (MQException e) {
                throw new ConfigException("subscribe", topic, e.getMessage());
            }
            if (selector == null) {
                throw new ConfigException("subscribe", null, "selector of topic '" + topic + "' is null: use"
                        + " MessageSelector.all() for every message");
            }
            subscriptions.put(topic, selector);
            return this;
        }

        /** Clustering (default: members share the queues) or broadcasting (every member reads everything). */
        public Builder messageModel(MessageModel model) {
            this.messageModel = model;
            return this;
        }

        /** Where a new group starts reading; default {@link ConsumeFrom#LAST_OFFSET}. */
        public Builder consumeFrom(ConsumeFrom from) {
            this.consumeFrom = from;
            return this;
        }

        /**
         * How many listener calls run at once (1..1024): the number of handler threads, or of
         * outstanding stages for an asynchronous listener. Default 20. Handing messages to the
         * handlers is bounded too, so this is exactly the parallelism, not a minimum.
         */
        public Builder concurrency(int threads) {
            this.concurrency = threads;
            return this;
        }

        /**
         * Consumes each queue in order, one message at a time, holding the queue's lock on its broker
         * so that no other member reads it meanwhile. A failed message is retried in place after
         * {@link #orderlyRetryDelay}, up to {@link #maxReconsumeTimes} times, then dead-lettered so the
         * queue moves on. Queues share the {@link #concurrency} threads. A queue moved to another
         * member is unlocked only after its running handler finished and its offset was committed. In
         * broadcasting mode there are no locks (every member reads every queue), and order holds per
         * member. Default off.
         */
        public Builder orderly(boolean orderly) {
            this.orderly = orderly;
            return this;
        }

        /**
         * Re-deliveries of a failing message before it goes to the dead-letter topic
         * {@code %DLQ%<group>} (0..1000). Default 16, which with the broker's delay levels spans about
         * two days.
         */
        public Builder maxReconsumeTimes(int times) {
            this.maxReconsumeTimes = times;
            return this;
        }

        /** Most messages per call of a batch listener (1..1024). Default 32. Ignored by other listeners. */
        public Builder batchSize(int messages) {
            this.batchSize = messages;
            return this;
        }

        /** Most messages one pull request asks for (1..1024). Default 32. */
        public Builder pullBatchSize(int messages) {
            this.pullBatchSize = messages;
            return this;
        }

        /**
         * Most messages pulled and not yet finished, over all queues of this consumer; at the cap
         * pulling pauses. Default 10,000.
         */
        public Builder maxCachedMessages(int messages) {
            this.maxCachedMessages = messages;
            return this;
        }

        /**
         * Most body bytes pulled and not yet finished, over all queues of this consumer; at the cap
         * pulling pauses. Default 64 MiB. A pull leaves only while the cache is under the cap, so the
         * cache may pass it by the answers of the pulls under way: at most one per queue.
         */
        public Builder maxCachedBytes(long bytes) {
            this.maxCachedBytes = bytes;
            return this;
        }

        /**
         * How often finished offsets are committed to the broker (or to the offset file when
         * broadcasting); a crash re-delivers at most what finished since the last commit. Default 5 s.
         */
        public Builder commitInterval(Duration interval) {
            this.commitInterval = interval;
            return this;
        }

        /** How long {@code stop()} and {@code close()} wait for running handlers. Default 30 s. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = timeout;
            return this;
        }

        /** How long an orderly queue pauses after a failed message before retrying it. Default 1 s. */
        public Builder orderlyRetryDelay(Duration delay) {
            this.orderlyRetryDelay = delay;
            return this;
        }

        /**
         * Where a broadcasting consumer keeps its offsets, one file per group. Default
         * {@code ~/.mq/offsets}. Unused in clustering mode (the brokers keep the offsets).
         *
         * <p>Layout: {@code <directory>/<name>/<group>/offsets.json}, with the previous version as
         * {@code offsets.json.bak} (read when the main file is missing or damaged) and
         * {@code offsets.json.tmp} while a write is under way. {@code <name>} is the client's
         * {@code instanceName} when the application set one, else the host's address, so a restarted
         * process finds its offsets (the default instance name changes with every process): give each
         * process of one host that consumes the same broadcasting group an instance name of its own.
         * {@code <group>} is the group as it travels (with the namespace). Characters outside
         * {@code [A-Za-z0-9._-]} are written as {@code %XX}. Written every {@link #commitInterval} and
         * at stop; a crash re-delivers to this member what it finished since the last write.
         */
        public Builder offsetStoreDirectory(Path directory) {
            this.offsetStoreDirectory = directory;
            return this;
        }

        /** Which queues each member reads; default {@link QueueAllocationStrategy#averagely()}. */
        public Builder queueAllocation(QueueAllocationStrategy strategy) {
            this.queueAllocation = strategy;
            return this;
        }

        /**
         * Creates the handler threads, for example {@code Thread.ofVirtual().factory()} to run handlers
         * on virtual threads (still at most {@link #concurrency} at once). Default: daemon threads
         * named {@code mq-consume-<group>-<n>}.
         */
        public Builder threadFactory(@Nullable ThreadFactory factory) {
            this.threadFactory = factory;
            return this;
        }

        /** Adds a hook; hooks run in the order added. */
        public Builder hook(ConsumeHook hook) {
            if (hook == null) {
                throw new ConfigException("hook", null, "consume hook must not be null");
            }
            this.hooks.add(hook);
            return this;
        }

        /**
         * Checks every setting and that they fit together, then builds.
         *
         * @throws ConfigException naming the first setting refused and its value
         */
        public ConsumerConfig build() {
            String validGroup = Validation.checkGroupSetting("group", group);
            require(!subscriptions.isEmpty(), "subscribe", null,
                    "consumer group '" + validGroup + "' subscribes to nothing: call subscribe(topic, \"*\")");
            require(messageModel != null, "messageModel", null, "message model must not be null");
            require(consumeFrom != null, "consumeFrom", null, "consume-from must not be null");
            require(concurrency >= 1 && concurrency <= MAX_CONCURRENCY, "concurrency", concurrency,
                    "concurrency must be 1.." + MAX_CONCURRENCY + ", got " + concurrency);
            require(maxReconsumeTimes >= 0 && maxReconsumeTimes <= 1000, "maxReconsumeTimes", maxReconsumeTimes,
                    "max reconsume times must be 0..1000, got " + maxReconsumeTimes);
            require(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE, "batchSize", batchSize,
                    "batch size must be 1.." + MAX_BATCH_SIZE + ", got " + batchSize);
            require(pullBatchSize >= 1 && pullBatchSize <= MAX_BATCH_SIZE, "pullBatchSize", pullBatchSize,
                    "pull batch size must be 1.." + MAX_BATCH_SIZE + ", got " + pullBatchSize);
            require(maxCachedMessages >= pullBatchSize, "maxCachedMessages", maxCachedMessages,
                    "max cached messages (" + maxCachedMessages + ") must be at least the pull batch size ("
                    + pullBatchSize + ")");
            require(maxCachedBytes >= 1024 * 1024, "maxCachedBytes", maxCachedBytes,
                    "max cached bytes must be at least 1 MiB, got " + maxCachedBytes);
            Validation.checkTimeoutSetting("commitInterval", "commit interval", commitInterval, false);
            Validation.checkTimeoutSetting("shutdownTimeout", "shutdown timeout", shutdownTimeout, true);
            Validation.checkTimeoutSetting("orderlyRetryDelay", "orderly retry delay", orderlyRetryDelay, false);
            require(offsetStoreDirectory != null, "offsetStoreDirectory", null, "offset store directory must not be null");
            require(queueAllocation != null, "queueAllocation", null,
                    "queue allocation must not be null: use QueueAllocationStrategy.averagely()");
            return new ConsumerConfig(this, validGroup);
        }

        private static void require(boolean condition, String setting, @Nullable Object value, String message) {
            if (!condition) {
                throw new ConfigException(setting, value, message);
            }
        }
    }
}
