package dev.mq.spring.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * Settings of one producer ({@code mq.producer.*} or {@code mq.producers.<name>.*}). A property left
 * unset is null and leaves the engine's default in force ({@code ProducerConfig.DEFAULT_*},
 * {@code AutoBatching.DEFAULT_*}): the defaults are defined there once, and named here only in the
 * descriptions and the configuration metadata.
 */
public class ProducerProperties {

    /**
     * Producer group. Letters, digits, '%', '|', '_' and '-', at most 255 characters.
     */
    private @Nullable String group;

    /**
     * Deadline of a send, counted from the call; covers route lookup, waiting for in-flight
     * capacity and every retry. Unset: the engine's default, 3s.
     */
    private @Nullable Duration sendTimeout;

    /**
     * Extra attempts after a failed one, each to another broker where there is one. Unset: the
     * engine's default, 2.
     */
    private @Nullable Integer retries;

    /**
     * Bodies of at least this size are sent compressed (when that makes them smaller). Unset: the
     * engine's default, 4KB.
     */
    private @Nullable DataSize compressThreshold;

    /**
     * Format of compressed bodies: zlib (every consumer reads it), zstd or lz4 (RocketMQ 5 consumers
     * only; they need com.github.luben:zstd-jni or at.yawk.lz4:lz4-java on the class path). Unset:
     * the engine's default, zlib.
     */
    private @Nullable Compression compression;

    /**
     * Level of the chosen compression: zlib 1 (fast) to 9 (small), zstd 1 to 22; lz4 has none and
     * ignores it. Unset: the engine's default, 5.
     */
    private @Nullable Integer compressLevel;

    /**
     * Largest message body (or batch) accepted, before compression. Unset: the engine's default, 4MB.
     */
    private @Nullable DataSize maxMessageSize;

    /**
     * Most requests in flight at once for this producer. Unset: the engine's default, 4096.
     */
    private @Nullable Integer maxInFlightRequests;

    /**
     * Most message bytes in flight at once for this producer; at least max-message-size. Unset: the
     * engine's default, 64MB.
     */
    private @Nullable DataSize maxInFlightBytes;

    /**
     * What a send does when the in-flight cap is reached: block (until its deadline) or fail. Unset:
     * the engine's default, block.
     */
    private @Nullable Backpressure onBackpressure;

    /**
     * How long shutdown waits for in-flight sends before closing. Unset: the engine's default, 10s.
     */
    private @Nullable Duration shutdownTimeout;

    /**
     * Whether to avoid, for a while, brokers that failed or answered slowly. Unset: the engine's
     * default, true.
     */
    private @Nullable Boolean latencyFaultTolerance;

    /**
     * Whether to create a Micrometer Observation per send and write the trace context into the
     * message properties (needs an ObservationRegistry bean).
     */
    private boolean observationEnabled;

    /**
     * Coalescing of asynchronous sends that wait for the same queue into one batch request.
     */
    private final AutoBatch autoBatch = new AutoBatch();

    /**
     * Transactional messages.
     */
    private final Transaction transaction = new Transaction();

    public @Nullable String getGroup() {
        return group;
    }

    public void setGroup(@Nullable String group) {
        this.group = group;
    }

    public @Nullable Duration getSendTimeout() {
        return sendTimeout;
    }

    public void setSendTimeout(@Nullable Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public @Nullable Integer getRetries() {
        return retries;
    }

    public void setRetries(@Nullable Integer retries) {
        this.retries = retries;
    }

    public @Nullable DataSize getCompressThreshold() {
        return compressThreshold;
    }

    public void setCompressThreshold(@Nullable DataSize compressThreshold) {
        this.compressThreshold = compressThreshold;
    }

    public @Nullable Compression getCompression() {
        return compression;
    }

    public void setCompression(@Nullable Compression compression) {
        this.compression = compression;
    }

    public @Nullable Integer getCompressLevel() {
        return compressLevel;
    }

    public void setCompressLevel(@Nullable Integer compressLevel) {
        this.compressLevel = compressLevel;
    }

    public @Nullable DataSize getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(@Nullable DataSize maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public @Nullable Integer getMaxInFlightRequests() {
        return maxInFlightRequests;
    }

    public void setMaxInFlightRequests(@Nullable Integer maxInFlightRequests) {
        this.maxInFlightRequests = maxInFlightRequests;
    }

    public @Nullable DataSize getMaxInFlightBytes() {
        return maxInFlightBytes;
    }

    public void setMaxInFlightBytes(@Nullable DataSize maxInFlightBytes) {
        this.maxInFlightBytes = maxInFlightBytes;
    }

    public @Nullable Backpressure getOnBackpressure() {
        return onBackpressure;
    }

    public void setOnBackpressure(@Nullable Backpressure onBackpressure) {
        this.onBackpressure = onBackpressure;
    }

    public @Nullable Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(@Nullable Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public @Nullable Boolean getLatencyFaultTolerance() {
        return latencyFaultTolerance;
    }

    public void setLatencyFaultTolerance(@Nullable Boolean latencyFaultTolerance) {
        this.latencyFaultTolerance = latencyFaultTolerance;
    }

    public boolean isObservationEnabled() {
        return observationEnabled;
    }

    public void setObservationEnabled(boolean observationEnabled) {
        this.observationEnabled = observationEnabled;
    }

    /** What a send does when the in-flight cap is reached. */
    /** Format of compressed bodies; see {@link dev.mq.core.producer.CompressionType}. */
    public enum Compression {
        /** zlib, which every consumer version reads. */
        ZLIB,
        /** Zstandard; RocketMQ 5 consumers. */
        ZSTD,
        /** LZ4 frames; RocketMQ 5 consumers. */
        LZ4
    }

    public enum Backpressure {
        /** Wait for capacity up to the send deadline. */
        BLOCK,
        /** Fail at once with BACKPRESSURE. */
        FAIL
    }

    public AutoBatch getAutoBatch() {
        return autoBatch;
    }

    public Transaction getTransaction() {
        return transaction;
    }

    /** {@code mq.producer.transaction.*}: transactional messages. */
    public static class Transaction {

        /**
         * The transaction log: the ids of transactional messages sent within committed database
         * transactions, which answers the broker's check-backs.
         */
        private final Log log = new Log();

        public Log getLog() {
            return log;
        }

        /**
         * {@code mq.producer.transaction.log.*}: a database table, written in the same transaction as
         * the application's own data by MQTemplate.sendInTransaction(destination, payload), from which
         * the built-in checker answers: row present, COMMIT; no row and the half message older than
         * the grace period, ROLLBACK; otherwise UNKNOWN (asked again later).
         */
        public static class Log {

            /**
             * Whether to record transactional sends in the application's database and answer
             * check-backs from it (needs spring-jdbc and a DataSource bean).
             */
            private boolean enabled;

            /**
             * Table of the log; letters, digits, '_' and a schema prefix ("schema.table").
             */
            private String table = "mq_transaction_log";

            /**
             * How old a half message without a row must be before a check-back answers ROLLBACK:
             * until then its database transaction may still be running, and the answer is UNKNOWN.
             * Longer than any database transaction of the application; shorter than the broker's
             * whole check window (transactionCheckMax times transactionCheckInterval, 15 x 60s by
             * default), after which the broker discards the message anyway.
             */
            private Duration gracePeriod = Duration.ofMinutes(5);

            /**
             * When to create the table at start-up: embedded (only for an embedded database such
             * as H2), always, or never (the application's migrations create it from the shipped
             * DDL).
             */
            private InitializeSchema initializeSchema = InitializeSchema.EMBEDDED;

            /**
             * How long rows are kept. Longer than the broker's check window: a row removed while
             * its message may still be checked turns a COMMIT into a ROLLBACK.
             */
            private Duration retention = Duration.ofDays(7);

            /**
             * How often rows older than the retention are deleted.
             */
            private Duration cleanupInterval = Duration.ofHours(1);

            public boolean isEnabled() {
                return enabled;
            }

            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

            public String getTable() {
                return table;
            }

            public void setTable(String table) {
                this.table = table;
            }

            public Duration getGracePeriod() {
                return gracePeriod;
            }

            public void setGracePeriod(Duration gracePeriod) {
                this.gracePeriod = gracePeriod;
            }

            public InitializeSchema getInitializeSchema() {
                return initializeSchema;
            }

            public void setInitializeSchema(InitializeSchema initializeSchema) {
                this.initializeSchema = initializeSchema;
            }

            public Duration getRetention() {
                return retention;
            }

            public void setRetention(Duration retention) {
                this.retention = retention;
            }

            public Duration getCleanupInterval() {
                return cleanupInterval;
            }

            public void setCleanupInterval(Duration cleanupInterval) {
                this.cleanupInterval = cleanupInterval;
            }
        }

        /** When the transaction log's table is created at start-up. */
        public enum InitializeSchema {
            /** Only for an embedded database (H2, HSQLDB, Derby). */
            EMBEDDED,
            /** Always ({@code CREATE TABLE IF NOT EXISTS}). */
            ALWAYS,
            /** Never: the application's migrations create it. */
            NEVER
        }
    }

    /** {@code mq.producer.auto-batch.*}: see {@code dev.mq.core.producer.AutoBatching}. */
    public static class AutoBatch {

        /**
         * Whether asynchronous sends that wait behind a queue's request in flight leave together,
         * as one batch request (each caller still gets its own result).
         */
        private boolean enabled;

        /**
         * How long a message to an idle queue waits for others to join it. 0 adds no latency:
         * only messages that wait anyway are batched. Unset: 0.
         */
        private @Nullable Duration linger;

        /**
         * Largest encoded batch (bodies, properties and 22 bytes per message); at most
         * max-message-size. Unset: the engine's default, 256KB.
         */
        private @Nullable DataSize maxSize;

        /**
         * Most messages in one batch; at least 2. Unset: the engine's default, 512.
         */
        private @Nullable Integer maxMessages;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Duration getLinger() {
            return linger;
        }

        public void setLinger(@Nullable Duration linger) {
            this.linger = linger;
        }

        public @Nullable DataSize getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(@Nullable DataSize maxSize) {
            this.maxSize = maxSize;
        }

        public @Nullable Integer getMaxMessages() {
            return maxMessages;
        }

        public void setMaxMessages(@Nullable Integer maxMessages) {
            this.maxMessages = maxMessages;
        }
    }
}
