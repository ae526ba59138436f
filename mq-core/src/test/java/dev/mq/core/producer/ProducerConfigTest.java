package dev.mq.core.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ProducerConfigTest {

    private static ProducerConfig.Builder valid() {
        return ProducerConfig.builder().group("pg");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> rejects(UnaryOperator<ProducerConfig.Builder> change) {
        return assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
    }

    @Test
    void defaultsSuitMostApplications() {
        ProducerConfig config = valid().build();
        assertThat(config.group()).isEqualTo("pg");
        assertThat(config.sendTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.retries()).isEqualTo(2);
        assertThat(config.compressThreshold()).isEqualTo(4096);
        assertThat(config.compressLevel()).isEqualTo(5);
        assertThat(config.maxMessageSize()).isEqualTo(4 * 1024 * 1024);
        assertThat(config.maxInFlightRequests()).isEqualTo(4096);
        assertThat(config.maxInFlightBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.backpressure()).isEqualTo(BackpressurePolicy.BLOCK);
        assertThat(config.latencyFaultTolerance()).isTrue();
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.hooks()).isEmpty();
    }

    @Test
    void everySettingIsKept() {
        SendHook hook = new SendHook() { };
        ProducerConfig config = valid().sendTimeout(Duration.ofMillis(700)).retries(0).compressThreshold(10)
                .compressLevel(9).maxMessageSize(1024).maxInFlightRequests(1).maxInFlightBytes(1024)
                .backpressure(BackpressurePolicy.FAIL).latencyFaultTolerance(false).shutdownTimeout(Duration.ZERO)
                .hook(hook).build();
        assertThat(config.sendTimeout()).isEqualTo(Duration.ofMillis(700));
        assertThat(config.retries()).isZero();
        assertThat(config.compressThreshold()).isEqualTo(10);
        assertThat(config.compressLevel()).isEqualTo(9);
        assertThat(config.maxMessageSize()).isEqualTo(1024);
        assertThat(config.maxInFlightRequests()).isEqualTo(1);
        assertThat(config.maxInFlightBytes()).isEqualTo(1024);
        assertThat(config.backpressure()).isEqualTo(BackpressurePolicy.FAIL);
        assertThat(config.latencyFaultTolerance()).isFalse();
        assertThat(config.shutdownTimeout()).isZero();
        assertThat(config.hooks()).containsExactly(hook);
    }

    @Test
    void hooksAreCopiedAtBuildTime() {
        ProducerConfig.Builder builder = valid().hook(new SendHook() { });
        ProducerConfig config = builder.build();
        builder.hook(new SendHook() { });
        assertThat(config.hooks()).hasSize(1);
        assertThatThrownBy(() -> config.hooks().add(new SendHook() { }))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullGroupIsRejected() {
        rejects(b -> b.group(null)).hasMessageContaining("group is null");
    }

    @Test
    void blankGroupIsRejected() {
        rejects(b -> b.group("   ")).hasMessageContaining("'   '").hasMessageContaining("blank");
    }

    @Test
    void groupWithIllegalCharactersIsRejected() {
        rejects(b -> b.group("my group")).hasMessageContaining("my group").hasMessageContaining("illegal");
    }

    @Test
    void tooLongGroupIsRejected() {
        rejects(b -> b.group("g".repeat(256))).hasMessageContaining("256 characters");
    }

    @Test
    void invalidNamespaceIsRejectedByTheClientBuilder() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.mq.core.client.MQClientInstance.builder()
                .namespace("ns 1")).isInstanceOfSatisfying(dev.mq.core.MQException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.reason())
                            .isEqualTo(dev.mq.core.MQException.Reason.VALIDATION);
                    org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("'ns 1'", "namespace");
                });
    }

    @Test
    void negativeSendTimeoutIsRejected() {
        rejects(b -> b.sendTimeout(Duration.ofMillis(-5))).hasMessageContaining("send timeout")
                .hasMessageContaining(Duration.ofMillis(-5).toString());
    }

    @Test
    void zeroOrNullSendTimeoutIsRejected() {
        rejects(b -> b.sendTimeout(Duration.ZERO)).hasMessageContaining("send timeout").hasMessageContaining("PT0S");
        rejects(b -> b.sendTimeout(null)).hasMessageContaining("send timeout").hasMessageContaining("null");
    }

    @Test
    void negativeShutdownTimeoutIsRejected() {
        rejects(b -> b.shutdownTimeout(Duration.ofSeconds(-1))).hasMessageContaining("shutdown timeout")
                .hasMessageContaining("PT-1S");
        rejects(b -> b.shutdownTimeout(null)).hasMessageContaining("shutdown timeout").hasMessageContaining("null");
    }

    @Test
    void negativeRetriesAreRejected() {
        rejects(b -> b.retries(-1)).hasMessageContaining("retries").hasMessageContaining("-1");
    }

    @Test
    void nonPositiveCompressThresholdIsRejected() {
        rejects(b -> b.compressThreshold(0)).hasMessageContaining("compress threshold").hasMessageContaining("got 0");
    }

    @Test
    void compressLevelOutsideOneToNineIsRejected() {
        rejects(b -> b.compressLevel(0)).hasMessageContaining("compress level").hasMessageContaining("got 0");
        rejects(b -> b.compressLevel(10)).hasMessageContaining("compress level").hasMessageContaining("got 10");
    }

    @Test
    void nonPositiveMaxMessageSizeIsRejected() {
        rejects(b -> b.maxMessageSize(0)).hasMessageContaining("max message size").hasMessageContaining("got 0");
        rejects(b -> b.maxMessageSize(-7)).hasMessageContaining("max message size").hasMessageContaining("-7");
    }

    @Test
    void zeroInFlightRequestsIsRejected() {
        rejects(b -> b.maxInFlightRequests(0)).hasMessageContaining("max in-flight requests")
                .hasMessageContaining("got 0");
    }

    @Test
    void byteCapBelowTheMaxMessageSizeIsRejected() {
        rejects(b -> b.maxMessageSize(2048).maxInFlightBytes(2047)).hasMessageContaining("max in-flight bytes")
                .hasMessageContaining("2047").hasMessageContaining("2048");
    }

    @Test
    void byteCapEqualToTheMaxMessageSizeIsAccepted() {
        assertThat(valid().maxMessageSize(2048).maxInFlightBytes(2048).build().maxInFlightBytes()).isEqualTo(2048);
    }

    @Test
    void nullBackpressurePolicyIsRejected() {
        rejects(b -> b.backpressure(null)).hasMessageContaining("backpressure");
    }

    @Test
    void byteCapAboveIntRangeIsRejectedNamingTheValue() {
        rejects(b -> b.maxInFlightBytes(3L * 1024 * 1024 * 1024)).hasMessageContaining("3221225472");
    }
}
