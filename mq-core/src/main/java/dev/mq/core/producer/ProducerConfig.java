package dev.mq.core.producer;

import dev.mq.core.ConfigException;
import dev.mq.core.internal.protocol.Compression;
import dev.mq.core.internal.protocol.Validation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Settings of one producer. Every knob has a default that suits most applications; only the group
 * is required. The defaults are the {@code DEFAULT_*} constants below (and, for the settings without
 * one, the builder method's description): this class is the one place they are defined.
 *
 * <p>{@link Builder#build()} refuses a bad setting, or settings that do not fit together, with a
 * {@link ConfigException} whose {@link ConfigException#setting() setting()} is the builder method's
 * name ({@code sendTimeout}, {@code maxInFlightBytes}, {@code autoBatching.maxBytes}, ...).
 *
 * <pre>{@code
 * ProducerConfig config = ProducerConfig.builder().group("orders").sendTimeout(Duration.ofSeconds(2)).build();
 * }</pre>
 */
public final class ProducerConfig {

    /** Default {@link Builder#sendTimeout}: 3 s. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(3);
    /** Default {@link Builder#retries}: 2. */
    public static final int DEFAULT_RETRIES = 2;
    /** Default {@link Builder#compressThreshold}: 4 KiB. */
    public static final int DEFAULT_COMPRESS_THRESHOLD = 4 * 1024;
    /** Default {@link Builder#compression}: ZLIB, the one format every consumer version reads. */
    public static final CompressionType DEFAULT_COMPRESSION = CompressionType.ZLIB;
    /** Default {@link Builder#compressLevel}: 5. */
    public static final int DEFAULT_COMPRESS_LEVEL = 5;
    /** Default {@link Builder#maxMessageSize}: 4 MiB, the broker's default. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = Validation.DEFAULT_MAX_BODY_BYTES;
    /** Default {@link Builder#maxInFlightRequests}: 4096. */
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 4096;
    /** Default {@link Builder#maxInFlightBytes}: 64 MiB. */
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 64L * 1024 * 1024;
    /** Default {@link Builder#shutdownTimeout}: 10 s. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final String group;
    private final Duration sendTimeout;
    private final int retries;
    private final int compressThreshold;
    private final CompressionType compression;
    private final int compressLevel;
    private final int maxMessageSize;
    private final int maxInFlightRequests;
    private final long maxInFlightBytes;
    private final BackpressurePolicy backpressure;
    private final boolean latencyFaultTolerance;
    private final Duration shutdownTimeout;
    private final AutoBatching autoBatching;
    private final List<SendHook> hooks;
    private final @Nullable TransactionChecker transactionChecker;

    private ProducerConfig(Builder b, String group) {
        this.group = group;
        this.sendTimeout = b.sendTimeout;
        this.retries = b.retries;
        this.compressThreshold = b.compressThreshold;
        this.compression = b.compression;
        this.compressLevel = b.compressLevel;
        this.maxMessageSize = b.maxMessageSize;
        this.maxInFlightRequests = b.maxInFlightRequests;
        this.maxInFlightBytes = b.maxInFlightBytes;
        this.backpressure = b.backpressure;
        this.latencyFaultTolerance = b.latencyFaultTolerance;
        this.shutdownTimeout = b.shutdownTimeout;
        this.autoBatching = b.autoBatching;
        this.hooks = List.copyOf(b.hooks);
        this.transactionChecker = b.transactionChecker;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String group() {
        return group;
    }

    public Duration sendTimeout() {
        return sendTimeout;
    }

    public int retries() {
        return retries;
    }

    public int compressThreshold() {
        return compressThreshold;
    }

    public CompressionType compression() {
        return compression;
    }

    public int compressLevel() {
        return compressLevel;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    public int maxInFlightRequests() {
        return maxInFlightRequests;
    }

    public long maxInFlightBytes() {
        return maxInFlightBytes;
    }

    public BackpressurePolicy backpressure() {
        return backpressure;
    }

    public boolean latencyFaultTolerance() {
        return latencyFaultTolerance;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    public AutoBatching autoBatching() {
        return autoBatching;
    }

    public List<SendHook> hooks() {
        return hooks;
    }

    /** What answers the broker's check-backs on this group's transactional messages, or null for none. */
    public @Nullable TransactionChecker transactionChecker() {
        return transactionChecker;
    }

    /** Collects producer settings; {@link #build()} validates them. */
    public static final class Builder {

        private @Nullable String group;
        private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
        private int retries = DEFAULT_RETRIES;
        private int compressThreshold = DEFAULT_COMPRESS_THRESHOLD;
        private CompressionType compression = DEFAULT_COMPRESSION;
        private int compressLevel = DEFAULT_COMPRESS_LEVEL;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxInFlightRequests = DEFAULT_MAX_IN_FLIGHT_REQUESTS;
        private long maxInFlightBytes = DEFAULT_MAX_IN_FLIGHT_BYTES;
        private BackpressurePolicy backpressure = BackpressurePolicy.BLOCK;
        private boolean latencyFaultTolerance = true;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private AutoBatching autoBatching = AutoBatching.off();
        private final List<SendHook> hooks = new ArrayList<>();
        private @Nullable TransactionChecker transactionChecker;

        private Builder() {
        }

        /** The producer group (required): letters, digits, {@code %|_-}, at most 255 characters. */
        public Builder group(String group) {
            this.group = group;
            return this;
        }

        /**
         * The deadline of a send, counted from the call: it covers route lookup, waiting for
         * in-flight capacity and every retry. Default 3 s.
         */
        public Builder sendTimeout(Duration timeout) {
            this.sendTimeout = timeout;
            return this;
        }

        /** Extra attempts after a failed one, each to another broker where there is one. Default 2. */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /**
         * Bodies of at least this many bytes are sent compressed (when that makes them smaller).
         * Default 4096.
         */
        public Builder compressThreshold(int bytes) {
            this.compressThreshold = bytes;
            return this;
        }

        /**
         * The format of compressed bodies. Default {@link CompressionType#ZLIB}, which every consumer
         * reads; {@link CompressionType#ZSTD} and {@link CompressionType#LZ4} need RocketMQ 5 consumers
         * and their library on the class path ({@link #build()} refuses them, naming the artifact,
         * when it is absent).
         */
        public Builder compression(CompressionType type) {
            this.compression = type;
            return this;
        }

        /**
         * The level of the chosen {@link #compression}: zlib 1 (fast) to 9 (small), zstd 1 to 22; LZ4
         * has none and ignores it. Default 5.
         */
        public Builder compressLevel(int level) {
            this.compressLevel = level;
            return this;
        }

        /** Largest body (and batch) accepted, before compression. Default 4 MiB, the broker's default. */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /** Most requests in flight at once for this producer. Default 4096. */
        public Builder maxInFlightRequests(int requests) {
            this.maxInFlightRequests = requests;
            return this;
        }

        /** Most message bytes in flight at once for this producer. Default 64 MiB. */
        public Builder maxInFlightBytes(long bytes) {
            this.maxInFlightBytes = bytes;
            return this;
        }

        /** Block (default) or fail when the in-flight cap is reached. */
        public Builder backpressure(BackpressurePolicy policy) {
            this.backpressure = policy;
            return this;
        }

        /** Avoid, for a while, brokers that failed or answered slowly. Default on. */
        public Builder latencyFaultTolerance(boolean enabled) {
            this.latencyFaultTolerance = enabled;
            return this;
        }

        /** How long {@code close()} waits for in-flight sends. Default 10 s. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = timeout;
            return this;
        }

        /** Coalescing of asynchronous sends into batches; see {@link AutoBatching}. Default off. */
        public Builder autoBatching(AutoBatching autoBatching) {
            this.autoBatching = autoBatching;
            return this;
        }

        /**
         * Answers the broker's check-backs on this group's transactional messages; default none (a
         * check is answered UNKNOWN and logged once). A producer sends transactions without one too,
         * relying on ending each itself.
         */
        public Builder transactionChecker(@Nullable TransactionChecker checker) {
            this.transactionChecker = checker;
            return this;
        }

        /** Adds a hook; hooks run in the order added. */
        public Builder hook(SendHook hook) {
            if (hook == null) {
                throw new ConfigException("hook", null, "send hook must not be null");
            }
            this.hooks.add(hook);
            return this;
        }

        /**
         * Checks every setting, and the settings that must fit together (the in-flight byte cap and
         * auto-batching's batch size against the max message size), then builds.
         *
         * @throws ConfigException naming the first setting refused and its value
         */
        public ProducerConfig build() {
            String validGroup = Validation.checkGroupSetting("group", group);
            Validation.checkTimeoutSetting("sendTimeout", "send timeout", sendTimeout, false);
            Validation.checkTimeoutSetting("shutdownTimeout", "shutdown timeout", shutdownTimeout, true);
            require(retries >= 0, "retries", retries, "retries must not be negative, got " + retries);
            require(compressThreshold > 0, "compressThreshold", compressThreshold,
                    "compress threshold must be positive, got " + compressThreshold);
            require(compression != null, "compression", null, "compression must not be null: use ZLIB, ZSTD or LZ4");
            // The wire codec shares the public choice's name (CompressionTest checks every one).
            Compression.Codec codec = Compression.Codec.valueOf(compression.name());
            require(codec.acceptsLevel(compressLevel), "compressLevel", compressLevel,
                    "compress level must be " + codec.levels() + ", got " + compressLevel + " (" + compression + ")");
            String missing = codec.missingLibrary(ProducerConfig.class.getClassLoader());
            require(missing == null, "compression", compression, compression + " compression needs " + missing
                    + " on the class path; add it, or use ZLIB");
            require(maxMessageSize > 0, "maxMessageSize", maxMessageSize,
                    "max message size must be positive, got " + maxMessageSize);
            require(maxInFlightRequests > 0, "maxInFlightRequests", maxInFlightRequests,
                    "max in-flight requests must be positive, got " + maxInFlightRequests);
            require(maxInFlightBytes >= maxMessageSize, "maxInFlightBytes", maxInFlightBytes, "max in-flight bytes ("
                    + maxInFlightBytes + ") must be at least the max message size (" + maxMessageSize + ")");
            require(maxInFlightBytes <= Integer.MAX_VALUE, "maxInFlightBytes", maxInFlightBytes,
                    "max in-flight bytes must be at most " + Integer.MAX_VALUE + ", got " + maxInFlightBytes);
            require(backpressure != null, "backpressure", null,
                    "backpressure policy must not be null: use BLOCK or FAIL");
            require(autoBatching != null, "autoBatching", null,
                    "auto-batching must not be null: use AutoBatching.off() to turn it off");
            require(!autoBatching.enabled() || autoBatching.maxBytes() <= maxMessageSize, "autoBatching.maxBytes",
                    autoBatching.maxBytes(), "auto-batching max bytes (" + autoBatching.maxBytes()
                    + ") must not exceed the max message size (" + maxMessageSize + ")");
            return new ProducerConfig(this, validGroup);
        }

        private static void require(boolean condition, String setting, @Nullable Object value, String message) {
            if (!condition) {
                throw new ConfigException(setting, value, message);
            }
        }
    }
}
