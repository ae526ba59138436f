package dev.mq.core.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.ConfigException;
import dev.mq.core.MQException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConsumerConfigTest {

    private static ConsumerConfig.Builder valid() {
        return ConsumerConfig.builder().group("billing").subscribe("Orders", "*");
    }

    @Test
    void defaultsSuitMostApplications() {
        ConsumerConfig config = valid().build();
        assertThat(config.group()).isEqualTo("billing");
        assertThat(config.subscriptions()).containsExactly(java.util.Map.entry("Orders", MessageSelector.all()));
        assertThat(config.messageModel()).isEqualTo(MessageModel.CLUSTERING);
        assertThat(config.consumeFrom()).isEqualTo(ConsumeFrom.LAST_OFFSET);
        assertThat(config.concurrency()).isEqualTo(20);
        assertThat(config.orderly()).isFalse();
        assertThat(config.maxReconsumeTimes()).isEqualTo(16);
        assertThat(config.batchSize()).isEqualTo(32);
        assertThat(config.pullBatchSize()).isEqualTo(32);
        assertThat(config.maxCachedMessages()).isEqualTo(10_000);
        assertThat(config.maxCachedBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.commitInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.orderlyRetryDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.offsetStoreDirectory()).isEqualTo(Path.of(System.getProperty("user.home"), ".mq", "offsets"));
        assertThat(config.queueAllocation()).isInstanceOf(AllocateAveragely.class);
        assertThat(config.threadFactory()).isNull();
        assertThat(config.hooks()).isEmpty();
    }

    @Test
    void everySettingIsKeptAndCopiedByToBuilder() {
        ConsumeHook hook = new ConsumeHook() { };
        QueueAllocationStrategy allocation = (queues, clients, self) -> queues;
        Instant from = Instant.parse("2026-01-02T03:04:05Z");
        ConsumerConfig config = valid().subscribe("Audit", MessageSelector.sql92("a > 1"))
                .subscribe("Orders", "created || paid").messageModel(MessageModel.BROADCASTING)
                .consumeFrom(ConsumeFrom.timestamp(from)).concurrency(3).orderly(true).maxReconsumeTimes(0)
                .batchSize(7).pullBatchSize(9).maxCachedMessages(100).maxCachedBytes(2 << 20)
                .commitInterval(Duration.ofMillis(200)).shutdownTimeout(Duration.ZERO)
                .orderlyRetryDelay(Duration.ofMillis(50)).offsetStoreDirectory(Path.of("/tmp/x"))
                .queueAllocation(allocation).threadFactory(Thread::new).hook(hook).build();
        for (ConsumerConfig c : List.of(config, config.toBuilder().build())) {
            assertThat(c.subscriptions()).containsExactly(
                    java.util.Map.entry("Orders", MessageSelector.tags("created || paid")),
                    java.util.Map.entry("Audit", MessageSelector.sql92("a > 1")));
            assertThat(c.messageModel()).isEqualTo(MessageModel.BROADCASTING);
            assertThat(c.consumeFrom().kind()).isEqualTo(ConsumeFrom.Kind.TIMESTAMP);
            assertThat(c.consumeFrom().timestamp()).isEqualTo(from);
            assertThat(c.concurrency()).isEqualTo(3);
            assertThat(c.orderly()).isTrue();
            assertThat(c.maxReconsumeTimes()).isZero();
            assertThat(c.batchSize()).isEqualTo(7);
            assertThat(c.pullBatchSize()).isEqualTo(9);
            assertThat(c.maxCachedMessages()).isEqualTo(100);
            assertThat(c.maxCachedBytes()).isEqualTo(2 << 20);
            assertThat(c.commitInterval()).isEqualTo(Duration.ofMillis(200));
            assertThat(c.shutdownTimeout()).isZero();
            assertThat(c.orderlyRetryDelay()).isEqualTo(Duration.ofMillis(50));
            assertThat(c.offsetStoreDirectory()).isEqualTo(Path.of("/tmp/x"));
            assertThat(c.queueAllocation()).isSameAs(allocation);
            assertThat(c.threadFactory()).isNotNull();
            assertThat(c.hooks()).containsExactly(hook);
        }
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("group", (UnaryOperator<ConsumerConfig.Builder>) b -> b.group(" "), " "),
                Arguments.of("subscribe", (UnaryOperator<ConsumerConfig.Builder>) b -> b.subscribe("Orders", " "), " "),
                Arguments.of("subscribe", (UnaryOperator<ConsumerConfig.Builder>) b -> b.subscribe("bad topic", "*"),
                        "bad topic"),
                Arguments.of("concurrency", (UnaryOperator<ConsumerConfig.Builder>) b -> b.concurrency(0), 0),
                Arguments.of("concurrency", (UnaryOperator<ConsumerConfig.Builder>) b -> b.concurrency(1025), 1025),
                Arguments.of("maxReconsumeTimes", (UnaryOperator<ConsumerConfig.Builder>) b -> b.maxReconsumeTimes(-1),
                        -1),
                Arguments.of("batchSize", (UnaryOperator<ConsumerConfig.Builder>) b -> b.batchSize(0), 0),
                Arguments.of("pullBatchSize", (UnaryOperator<ConsumerConfig.Builder>) b -> b.pullBatchSize(1025), 1025),
                Arguments.of("maxCachedMessages", (UnaryOperator<ConsumerConfig.Builder>) b -> b.maxCachedMessages(31),
                        31),
                Arguments.of("maxCachedBytes", (UnaryOperator<ConsumerConfig.Builder>) b -> b.maxCachedBytes(1000),
                        1000L),
                Arguments.of("commitInterval",
                        (UnaryOperator<ConsumerConfig.Builder>) b -> b.commitInterval(Duration.ZERO), Duration.ZERO),
                Arguments.of("shutdownTimeout",
                        (UnaryOperator<ConsumerConfig.Builder>) b -> b.shutdownTimeout(Duration.ofSeconds(-1)),
                        Duration.ofSeconds(-1)),
                Arguments.of("messageModel", (UnaryOperator<ConsumerConfig.Builder>) b -> b.messageModel(null), null),
                Arguments.of("queueAllocation", (UnaryOperator<ConsumerConfig.Builder>) b -> b.queueAllocation(null),
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aBadSettingIsRefusedByName(String setting, UnaryOperator<ConsumerConfig.Builder> change, Object value) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION);
                    assertThat(e.setting()).isEqualTo(setting);
                    assertThat(e.value()).isEqualTo(value);
                });
    }

    @Test
    void aConsumerMustSubscribe() {
        assertThatThrownBy(() -> ConsumerConfig.builder().group("g").build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("subscribe"))
                .hasMessageContaining("subscribes to nothing");
    }

    @Test
    void batchResultsSayWhichMessagesFailed() {
        assertThat(BatchResult.success().resultOf(5)).isEqualTo(ConsumeResult.SUCCESS);
        assertThat(BatchResult.retryAll().resultOf(5)).isEqualTo(ConsumeResult.RETRY);
        BatchResult some = BatchResult.retry(1, 3);
        assertThat(List.of(0, 1, 2, 3, 4).stream().map(some::resultOf)).containsExactly(ConsumeResult.SUCCESS,
                ConsumeResult.RETRY, ConsumeResult.SUCCESS, ConsumeResult.RETRY, ConsumeResult.SUCCESS);
        BatchResult each = BatchResult.of(List.of(ConsumeResult.DEAD_LETTER, ConsumeResult.SUCCESS));
        assertThat(each.resultOf(0)).isEqualTo(ConsumeResult.DEAD_LETTER);
        assertThat(each.resultOf(2)).isEqualTo(ConsumeResult.SUCCESS);
        assertThatThrownBy(() -> BatchResult.retry(-1)).isInstanceOf(MQException.class);
    }

    @Test
    void selectorsAreNormalised() {
        assertThat(MessageSelector.tags(" * ")).isSameAs(MessageSelector.all());
        assertThat(MessageSelector.tags(" a || b ").expression()).isEqualTo("a || b");
        assertThat(MessageSelector.sql92("x > 1").type()).isEqualTo(MessageSelector.Type.SQL92);
        assertThatThrownBy(() -> MessageSelector.sql92(" ")).isInstanceOf(MQException.class);
        assertThatThrownBy(() -> ConsumeFrom.timestamp(null)).isInstanceOf(MQException.class);
    }

    @Test
    void listenerFormsAreKeptApart() {
        MessageListener plain = m -> ConsumeResult.SUCCESS;
        ConsumerListener batch = ConsumerListener.batch(ms -> BatchResult.success());
        assertThat(ConsumerListener.of(plain).messageListener()).isSameAs(plain);
        assertThat(batch.kind()).isEqualTo(ConsumerListener.Kind.BATCH);
        assertThatThrownBy(batch::asyncListener).isInstanceOf(IllegalStateException.class);
    }
}
