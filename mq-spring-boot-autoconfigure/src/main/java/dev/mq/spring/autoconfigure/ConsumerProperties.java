package dev.mq.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * Defaults of every {@code @MQListener} container ({@code mq.consumer.*}); an annotation attribute
 * overrides its property for one listener. A property left unset is null and leaves the engine's
 * default in force ({@code ConsumerConfig.DEFAULT_*}).
 */
public class ConsumerProperties {

    /**
     * Handler threads per listener (1..1024); for a CompletionStage listener, outstanding stages.
     * Unset: the engine's default, 20.
     */
    private @Nullable Integer concurrency;

    /**
     * Re-deliveries of a failing message before it goes to the group's dead-letter topic (0..1000).
     * Unset: the engine's default, 16.
     */
    private @Nullable Integer maxReconsumeTimes;

    /**
     * Most messages per call of a batch listener (1..1024). Unset: the engine's default, 32.
     */
    private @Nullable Integer batchSize;

    /**
     * Most messages one pull request asks for (1..1024). Unset: the engine's default, 32.
     */
    private @Nullable Integer pullBatchSize;

    /**
     * Most messages pulled and not yet finished, per listener; at the cap pulling pauses. Unset: the
     * engine's default, 10000.
     */
    private @Nullable Integer maxCachedMessages;

    /**
     * Most body bytes pulled and not yet finished, per listener; at the cap pulling pauses. Unset:
     * the engine's default, 64MB.
     */
    private @Nullable DataSize maxCachedBytes;

    /**
     * How often finished offsets are committed; a crash re-delivers at most what finished since.
     * Unset: the engine's default, 5s.
     */
    private @Nullable Duration commitInterval;

    /**
     * How long stopping a listener waits for its running handlers. Unset: the engine's default, 30s.
     */
    private @Nullable Duration shutdownTimeout;

    /**
     * How long an orderly queue pauses after a failed message before retrying it. Unset: the
     * engine's default, 1s.
     */
    private @Nullable Duration orderlyRetryDelay;

    /**
     * Where broadcasting listeners keep their offsets (one file per group). Unset: the engine's
     * default, ~/.mq/offsets.
     */
    private @Nullable Path offsetStoreDirectory;

    /**
     * Where a new group starts reading: LAST_OFFSET, FIRST_OFFSET or an ISO-8601 instant. Unset: the
     * engine's default, LAST_OFFSET.
     */
    private @Nullable String consumeFrom;

    /**
     * Whether listeners start with the application context.
     */
    private boolean autoStartup = true;

    /**
     * Whether to create a Micrometer Observation per received message that continues the producer's
     * trace from the message properties (needs an ObservationRegistry bean).
     */
    private boolean observationEnabled;

    /**
     * Lag (messages) above which a running listener makes the mq health indicator OUT_OF_SERVICE.
     * Unset: lag never changes the health status.
     */
    private @Nullable Long healthLagThreshold;

    public @Nullable Integer getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(@Nullable Integer concurrency) {
        this.concurrency = concurrency;
    }

    public @Nullable Integer getMaxReconsumeTimes() {
        return maxReconsumeTimes;
    }

    public void setMaxReconsumeTimes(@Nullable Integer maxReconsumeTimes) {
        this.maxReconsumeTimes = maxReconsumeTimes;
    }

    public @Nullable Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(@Nullable Integer batchSize) {
        this.batchSize = batchSize;
    }

    public @Nullable Integer getPullBatchSize() {
        return pullBatchSize;
    }

    public void setPullBatchSize(@Nullable Integer pullBatchSize) {
        this.pullBatchSize = pullBatchSize;
    }

    public @Nullable Integer getMaxCachedMessages() {
        return maxCachedMessages;
    }

    public void setMaxCachedMessages(@Nullable Integer maxCachedMessages) {
        this.maxCachedMessages = maxCachedMessages;
    }

    public @Nullable DataSize getMaxCachedBytes() {
        return maxCachedBytes;
    }

    public void setMaxCachedBytes(@Nullable DataSize maxCachedBytes) {
        this.maxCachedBytes = maxCachedBytes;
    }

    public @Nullable Duration getCommitInterval() {
        return commitInterval;
    }

    public void setCommitInterval(@Nullable Duration commitInterval) {
        this.commitInterval = commitInterval;
    }

    public @Nullable Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(@Nullable Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public @Nullable Duration getOrderlyRetryDelay() {
        return orderlyRetryDelay;
    }

    public void setOrderlyRetryDelay(@Nullable Duration orderlyRetryDelay) {
        this.orderlyRetryDelay = orderlyRetryDelay;
    }

    public @Nullable Path getOffsetStoreDirectory() {
        return offsetStoreDirectory;
    }

    public void setOffsetStoreDirectory(@Nullable Path offsetStoreDirectory) {
        this.offsetStoreDirectory = offsetStoreDirectory;
    }

    public @Nullable String getConsumeFrom() {
        return consumeFrom;
    }

    public void setConsumeFrom(@Nullable String consumeFrom) {
        this.consumeFrom = consumeFrom;
    }

    public boolean isAutoStartup() {
        return autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public boolean isObservationEnabled() {
        return observationEnabled;
    }

    public void setObservationEnabled(boolean observationEnabled) {
        this.observationEnabled = observationEnabled;
    }

    public @Nullable Long getHealthLagThreshold() {
        return healthLagThreshold;
    }

    public void setHealthLagThreshold(@Nullable Long healthLagThreshold) {
        this.healthLagThreshold = healthLagThreshold;
    }
}
