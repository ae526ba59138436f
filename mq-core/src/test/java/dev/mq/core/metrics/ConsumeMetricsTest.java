package dev.mq.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.ConsumeContext;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.ConsumerState;
import dev.mq.core.consumer.ConsumerStats;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.internal.consume.ConsumeContexts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ConsumeMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerConsumeHook hook = new MicrometerConsumeHook(registry);
    /** Gauges hold their consumer weakly, as an application's container holds it strongly. */
    private final List<PushConsumer> consumers = new ArrayList<>();

    private PushConsumer held(PushConsumer consumer) {
        consumers.add(consumer);
        return consumer;
    }

    @Test
    void everyOutcomeIsTimedAndRetriesAndDeadLettersAreCounted() {
        hook.bindConsumerMeters(held(new StatsConsumer(ConsumerConfig.builder().group("billing").subscribe("Orders", "*")
                .maxReconsumeTimes(3).build(), Map.of())));
        hook.afterConsume(context("billing", 0, ConsumeResult.SUCCESS, Duration.ofMillis(5)));
        hook.afterConsume(context("billing", 0, ConsumeResult.RETRY, Duration.ofMillis(7)));
        hook.afterConsume(context("billing", 1, ConsumeResult.DEAD_LETTER, Duration.ofMillis(1)));
        hook.afterConsume(context("billing", 3, ConsumeResult.RETRY, Duration.ofMillis(1)));
        hook.beforeConsume(context("billing", 0, null, Duration.ZERO));

        assertThat(registry.get(MicrometerConsumeHook.PROCESS).tags("topic", "Orders", "group", "billing", "result", "success")
                .timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5);
        assertThat(registry.get(MicrometerConsumeHook.PROCESS).tags("result", "retry").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerConsumeHook.PROCESS).tags("result", "dead_letter").timer().count())
                .as("a failure on the last allowed delivery goes to the dead-letter topic").isEqualTo(2);
        assertThat(registry.get(MicrometerConsumeHook.RETRIES).tags("topic", "Orders", "group", "billing").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get(MicrometerConsumeHook.DEAD_LETTERS).tags("topic", "Orders", "group", "billing")
                .counter().count()).isEqualTo(2);
    }

    @Test
    void lagIsPerSubscribedTopicAndCachedFiguresPerGroup() {
        Map<MessageQueue, ConsumerStats.QueueStats> queues = Map.of(
                new MessageQueue("Orders", "b", 0), new ConsumerStats.QueueStats(10, 25, 3, 300, 1),
                new MessageQueue("Orders", "b", 1), new ConsumerStats.QueueStats(-1, 40, 0, 0, 0),
                new MessageQueue("Payments", "b", 0), new ConsumerStats.QueueStats(5, 6, 1, 100, 0),
                new MessageQueue("%RETRY%billing", "b", 0), new ConsumerStats.QueueStats(0, 9, 0, 0, 0));
        hook.bindConsumerMeters(held(new StatsConsumer(ConsumerConfig.builder().group("billing").subscribe("Orders", "*")
                .subscribe("Payments", "*").build(), queues)));
        assertThat(registry.get(MicrometerConsumeHook.LAG).tags("group", "billing", "topic", "Orders").gauge().value())
                .as("an unknown committed offset counts 0").isEqualTo(15);
        assertThat(registry.get(MicrometerConsumeHook.LAG).tags("topic", "Payments").gauge().value()).isEqualTo(1);
        assertThat(registry.get(MicrometerConsumeHook.CACHED_MESSAGES).tags("group", "billing").gauge().value())
                .isEqualTo(4);
        assertThat(registry.get(MicrometerConsumeHook.CACHED_BYTES).tags("group", "billing").gauge().value())
                .isEqualTo(400);
    }

    private static ConsumeContext context(String group, int reconsumeTimes, @Nullable ConsumeResult result,
                                          Duration time) {
        ReceivedMessage message = ReceivedMessage.builder("Orders", "id", new MessageQueue("Orders", "b", 0))
                .reconsumeTimes(reconsumeTimes).build();
        return result == null ? ConsumeContexts.before(group, message)
                : ConsumeContexts.after(group, message, result, null, time);
    }

    /** A consumer that only reports fixed figures. */
    private record StatsConsumer(ConsumerConfig config, Map<MessageQueue, ConsumerStats.QueueStats> queues)
            implements PushConsumer {

        @Override
        public ConsumerStats stats() {
            long messages = queues.values().stream().mapToLong(ConsumerStats.QueueStats::cachedMessages).sum();
            long bytes = queues.values().stream().mapToLong(ConsumerStats.QueueStats::cachedBytes).sum();
            return new ConsumerStats(config.group(), ConsumerState.RUNNING, false, messages, bytes, 0, queues);
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public void close() {
        }

        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }

        @Override
        public boolean isPaused() {
            return false;
        }

        @Override
        public ConsumerState state() {
            return ConsumerState.RUNNING;
        }

        @Override
        public Set<MessageQueue> assignedQueues() {
            return queues.keySet();
        }
    }
}
