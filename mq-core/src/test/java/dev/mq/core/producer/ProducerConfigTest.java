package dev.mq.core.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.ConfigException;
import dev.mq.core.MQException;
import dev.mq.core.client.ClientResources;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.metrics.MicrometerSendHook;
import dev.mq.core.testing.HidingClassLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
        assertThat(config.compression()).isEqualTo(CompressionType.ZLIB);
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
    void compressLevelIsCheckedAgainstTheChosenCompression() {
        assertThat(valid().compression(CompressionType.ZSTD).compressLevel(22).build().compressLevel()).isEqualTo(22);
        rejects(b -> b.compression(CompressionType.ZSTD).compressLevel(23))
                .hasMessageContaining("1..22, got 23 (ZSTD)");
        rejects(b -> b.compression(CompressionType.ZLIB).compressLevel(12)).hasMessageContaining("1..9, got 12 (ZLIB)");
        // LZ4 has no levels: any is accepted and unused.
        assertThat(valid().compression(CompressionType.LZ4).compressLevel(0).build().compression())
                .isEqualTo(CompressionType.LZ4);
        assertThatThrownBy(() -> valid().compression(null).build()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ZLIB, ZSTD or LZ4");
    }

    @Test
    void everyCompressionTypeHasAWireCodecOfTheSameName() {
        for (CompressionType type : CompressionType.values()) {
            assertThat(dev.mq.core.internal.protocol.Compression.Codec.valueOf(type.name())).isNotNull();
        }
        assertThat(dev.mq.core.internal.protocol.Compression.Codec.values()).hasSameSizeAs(CompressionType.values());
    }

    @Test
    void choosingZstdOrLz4WithoutItsLibraryFailsNamingTheArtifact() throws Exception {
        ClassLoader without = new HidingClassLoader("com.github.luben.", "net.jpountz.");
        Class<?> config = without.loadClass(ProducerConfig.class.getName());
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Enum> types = (Class<Enum>) without.loadClass(CompressionType.class.getName());

        assertThat(buildIsolated(config, types, "ZLIB")).isNull();
        assertThat(buildIsolated(config, types, "ZSTD")).isNotNull()
                .hasMessageContaining("ZSTD compression needs com.github.luben:zstd-jni on the class path");
        assertThat(buildIsolated(config, types, "LZ4")).isNotNull()
                .hasMessageContaining("LZ4 compression needs at.yawk.lz4:lz4-java on the class path");
        Throwable refused = buildIsolated(config, types, "LZ4");
        assertThat(refused.getClass().getName()).isEqualTo(ConfigException.class.getName());
        assertThat(refused.getClass().getMethod("setting").invoke(refused)).isEqualTo("compression");
    }

    /** Builds a config with {@code type} in the isolated loader; what build() threw, or null. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static @org.jspecify.annotations.Nullable Throwable buildIsolated(Class<?> config, Class<Enum> types,
                                                                              String type) throws Exception {
        Object builder = config.getMethod("builder").invoke(null);
        builder.getClass().getMethod("group", String.class).invoke(builder, "pg");
        builder.getClass().getMethod("compression", types).invoke(builder, Enum.valueOf(types, type));
        try {
            builder.getClass().getMethod("build").invoke(builder);
            return null;
        } catch (java.lang.reflect.InvocationTargetException e) {
            return e.getCause();
        }
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

    /**
     * Every check of a setting, and of settings that must fit together, as {@code (setting, value,
     * call)}: the call must fail with a {@link ConfigException} that names the builder method and
     * the value refused, so that code mapping settings from elsewhere (the Spring Boot starter) can
     * name its own key without checking again.
     */
    static Stream<Arguments> everyCheckNamesItsSetting() {
        AutoBatching batching = AutoBatching.whenBusy();
        MQClientInstance.Builder client = MQClientInstance.builder();
        ClientResources.Builder resources = ClientResources.builder();
        return Stream.of(
                refused("group", null, () -> valid().group(null).build()),
                refused("group", "my group", () -> valid().group("my group").build()),
                refused("sendTimeout", Duration.ZERO, () -> valid().sendTimeout(Duration.ZERO).build()),
                refused("sendTimeout", null, () -> valid().sendTimeout(null).build()),
                refused("sendTimeout", Duration.ofDays(40_000), () -> valid().sendTimeout(Duration.ofDays(40_000)).build()),
                refused("shutdownTimeout", Duration.ofSeconds(-1),
                        () -> valid().shutdownTimeout(Duration.ofSeconds(-1)).build()),
                refused("retries", -1, () -> valid().retries(-1).build()),
                refused("compressThreshold", 0, () -> valid().compressThreshold(0).build()),
                refused("compressLevel", 10, () -> valid().compressLevel(10).build()),
                refused("maxMessageSize", -7, () -> valid().maxMessageSize(-7).build()),
                refused("maxInFlightRequests", 0, () -> valid().maxInFlightRequests(0).build()),
                refused("maxInFlightBytes", 2047L, () -> valid().maxMessageSize(2048).maxInFlightBytes(2047).build()),
                refused("maxInFlightBytes", 3L * 1024 * 1024 * 1024,
                        () -> valid().maxInFlightBytes(3L * 1024 * 1024 * 1024).build()),
                refused("backpressure", null, () -> valid().backpressure(null).build()),
                refused("autoBatching", null, () -> valid().autoBatching(null).build()),
                refused("autoBatching.maxBytes", AutoBatching.DEFAULT_MAX_BYTES,
                        () -> valid().maxMessageSize(1024).maxInFlightBytes(1024).autoBatching(batching).build()),
                refused("autoBatching.linger", Duration.ofMillis(-1), () -> AutoBatching.linger(Duration.ofMillis(-1))),
                refused("autoBatching.maxBytes", 0, () -> batching.maxBytes(0)),
                refused("autoBatching.maxMessages", 1, () -> batching.maxMessages(1)),
                refused("hook", null, () -> valid().hook(null)),
                refused("nameServer", "", () -> client.nameServer("")),
                refused("nameServer", "nohost", () -> client.nameServer("nohost")),
                refused("nameServer", ";", () -> client.nameServer(";")),
                refused("nameServer", null, () -> MQClientInstance.builder().build()),
                refused("namespace", "ns 1", () -> client.namespace("ns 1")),
                refused("instanceName", " ", () -> client.instanceName(" ")),
                refused("resources", null, () -> client.resources(null)),
                refused("connectTimeout", Duration.ZERO, () -> client.connectTimeout(Duration.ZERO)),
                refused("nameServerTimeout", null, () -> client.nameServerTimeout(null)),
                refused("routeRefreshInterval", Duration.ofSeconds(-1),
                        () -> client.routeRefreshInterval(Duration.ofSeconds(-1))),
                refused("heartbeatInterval", Duration.ZERO, () -> client.heartbeatInterval(Duration.ZERO)),
                refused("writeStallTimeout", Duration.ZERO, () -> client.writeStallTimeout(Duration.ZERO)),
                refused("topicIdleTimeout", Duration.ZERO, () -> client.topicIdleTimeout(Duration.ZERO)),
                refused("unregisterTimeout", Duration.ofMillis(-1), () -> client.unregisterTimeout(Duration.ofMillis(-1))),
                refused("credentials.accessKey", " ", () -> client.credentials(" ", "sk")),
                refused("credentials.secretKey", null, () -> client.credentials("ak", null)),
                refused("ioThreads", 0, () -> client.ioThreads(0)),
                refused("callbackExecutor", null, () -> client.callbackExecutor(null)),
                refused("ioThreads", 0, () -> resources.ioThreads(0)),
                refused("name", "", () -> resources.name("")),
                refused("callbackExecutor", null, () -> resources.callbackExecutor((Executor) null)),
                refused("topicIdleTime", Duration.ZERO,
                        () -> new MicrometerSendHook(new SimpleMeterRegistry(), Duration.ZERO)));
    }

    private static Arguments refused(String setting, Object value, ThrowingCallable call) {
        return Arguments.of(setting, value, call);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource
    void everyCheckNamesItsSetting(String setting, Object value, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.setting()).isEqualTo(setting);
            assertThat(e.value()).isEqualTo(value);
            assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION);
            assertThat(e.getMessage()).isNotBlank();
        });
    }

    @Test
    void resourcesCombinedWithTheirShortcutsAreRefusedNamingResources() {
        try (ClientResources shared = ClientResources.create()) {
            assertThatThrownBy(() -> MQClientInstance.builder().nameServer("127.0.0.1:9876").resources(shared)
                    .ioThreads(2).build()).isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.setting()).isEqualTo("resources");
                        assertThat(e.value()).isSameAs(shared);
                    });
        }
    }

    @Test
    void defaultsAreTheDocumentedConstants() {
        ProducerConfig config = valid().build();
        assertThat(config.sendTimeout()).isEqualTo(ProducerConfig.DEFAULT_SEND_TIMEOUT);
        assertThat(config.retries()).isEqualTo(ProducerConfig.DEFAULT_RETRIES);
        assertThat(config.compressThreshold()).isEqualTo(ProducerConfig.DEFAULT_COMPRESS_THRESHOLD);
        assertThat(config.compressLevel()).isEqualTo(ProducerConfig.DEFAULT_COMPRESS_LEVEL);
        assertThat(config.maxMessageSize()).isEqualTo(ProducerConfig.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(config.maxInFlightRequests()).isEqualTo(ProducerConfig.DEFAULT_MAX_IN_FLIGHT_REQUESTS);
        assertThat(config.maxInFlightBytes()).isEqualTo(ProducerConfig.DEFAULT_MAX_IN_FLIGHT_BYTES);
        assertThat(config.shutdownTimeout()).isEqualTo(ProducerConfig.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(config.autoBatching()).isEqualTo(AutoBatching.off());
    }
}
