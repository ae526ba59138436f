package dev.mq.spring.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/** Settings of one producer ({@code mq.producer.*} or {@code mq.producers.<name>.*}). */
public class ProducerProperties {

    /**
     * Producer group. Letters, digits, '%', '|', '_' and '-', at most 255 characters.
     */
    private @Nullable String group;

    /**
     * Deadline of a send, counted from the call; covers route lookup, waiting for in-flight
     * capacity and every retry.
     */
    private Duration sendTimeout = Duration.ofSeconds(3);

    /**
     * Extra attempts after a failed one, each to another broker where there is one.
     */
    private int retries = 2;

    /**
     * Bodies of at least this size are sent zlib-compressed.
     */
    private DataSize compressThreshold = DataSize.ofKilobytes(4);

    /**
     * Largest message body (or batch) accepted, before compression.
     */
    private DataSize maxMessageSize = DataSize.ofMegabytes(4);

    /**
     * Most requests in flight at once for this producer.
     */
    private int maxInFlightRequests = 4096;

    /**
     * Most message bytes in flight at once for this producer.
     */
    private DataSize maxInFlightBytes = DataSize.ofMegabytes(64);

    /**
     * What a send does when the in-flight cap is reached: block (until its deadline) or fail.
     */
    private Backpressure onBackpressure = Backpressure.BLOCK;

    /**
     * How long shutdown waits for in-flight sends before closing.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /**
     * Whether to avoid, for a while, brokers that failed or answered slowly.
     */
    private boolean latencyFaultTolerance = true;

    /**
     * Whether to create a Micrometer Observation per send and write the trace context into the
     * message properties (needs an ObservationRegistry bean).
     */
    private boolean observationEnabled;

    /**
     * Coalescing of asynchronous sends that wait for the same queue into one batch request.
     */
    private final AutoBatch autoBatch = new AutoBatch();

    public @Nullable String getGroup() {
        return group;
    }

    public void setGroup(@Nullable String group) {
        this.group = group;
    }

    public Duration getSendTimeout() {
        return sendTimeout;
    }

    public void setSendTimeout(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public int getRetries() {
        return retries;
    }

    public void setRetries(int retries) {
        this.retries = retries;
    }

    public DataSize getCompressThreshold() {
        return compressThreshold;
    }

    public void setCompressThreshold(DataSize compressThreshold) {
        this.compressThreshold = compressThreshold;
    }

    public DataSize getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(DataSize maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public int getMaxInFlightRequests() {
        return maxInFlightRequests;
    }

    public void setMaxInFlightRequests(int maxInFlightRequests) {
        this.maxInFlightRequests = maxInFlightRequests;
    }

    public DataSize getMaxInFlightBytes() {
        return maxInFlightBytes;
    }

    public void setMaxInFlightBytes(DataSize maxInFlightBytes) {
        this.maxInFlightBytes = maxInFlightBytes;
    }

    public Backpressure getOnBackpressure() {
        return onBackpressure;
    }

    public void setOnBackpressure(Backpressure onBackpressure) {
        this.onBackpressure = onBackpressure;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public boolean isLatencyFaultTolerance() {
        return latencyFaultTolerance;
    }

    public void setLatencyFaultTolerance(boolean latencyFaultTolerance) {
        this.latencyFaultTolerance = latencyFaultTolerance;
    }

    public boolean isObservationEnabled() {
        return observationEnabled;
    }

    public void setObservationEnabled(boolean observationEnabled) {
        this.observationEnabled = observationEnabled;
    }

    /** What a send does when the in-flight cap is reached. */
    public enum Backpressure {
        /** Wait for capacity up to the send deadline. */
        BLOCK,
        /** Fail at once with BACKPRESSURE. */
        FAIL
    }

    public AutoBatch getAutoBatch() {
        return autoBatch;
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
         * only messages that wait anyway are batched.
         */
        private Duration linger = Duration.ZERO;

        /**
         * Largest encoded batch (bodies, properties and 22 bytes per message).
         */
        private DataSize maxSize = DataSize.ofKilobytes(256);

        /**
         * Most messages in one batch.
         */
        private int maxMessages = 512;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getLinger() {
            return linger;
        }

        public void setLinger(Duration linger) {
            this.linger = linger;
        }

        public DataSize getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(DataSize maxSize) {
            this.maxSize = maxSize;
        }

        public int getMaxMessages() {
            return maxMessages;
        }

        public void setMaxMessages(int maxMessages) {
            this.maxMessages = maxMessages;
        }
    }
}
