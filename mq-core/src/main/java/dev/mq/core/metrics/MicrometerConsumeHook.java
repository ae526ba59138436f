package dev.mq.core.metrics;

import dev.mq.core.MessageQueue;
import dev.mq.core.consumer.ConsumeContext;
import dev.mq.core.consumer.ConsumeHook;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.ConsumerStats;
import dev.mq.core.consumer.PushConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Records consumption in Micrometer. Register it on a consumer with
 * {@code ConsumerConfig.builder().hook(hook)} and call {@link #bindConsumerMeters} for the gauges read
 * from the consumer itself (the Spring Boot starter does both for every {@code @MQListener}).
 *
 * <ul>
 *   <li>{@value #PROCESS} (timer): one record per message handed to a listener, the listener's time
 *       (a batch listener's messages each record the batch's time). Tags {@code topic} (the
 *       subscribed topic, also for a message re-delivered through the group's retry topic),
 *       {@code group}, {@code result} ({@code success}, {@code retry}, {@code dead_letter}).</li>
 *   <li>{@value #RETRIES} (counter): messages handed back for a later re-delivery. Tags {@code topic},
 *       {@code group}.</li>
 *   <li>{@value #DEAD_LETTERS} (counter): messages sent to the group's dead-letter topic: those the
 *       listener dead-lettered, and those that failed on their last allowed delivery
 *       ({@link ConsumerConfig#maxReconsumeTimes()}, known for consumers bound with
 *       {@link #bindConsumerMeters}). Tags {@code topic}, {@code group}.</li>
 *   <li>{@value #LAG} (gauge): per subscribed topic, messages between the group's committed offsets and
 *       the brokers' ends of the queues this consumer owns. Tags {@code group}, {@code topic}.</li>
 *   <li>{@value #CACHED_MESSAGES} and {@value #CACHED_BYTES} (gauges): messages (and their body bytes)
 *       pulled and not yet finished. Tag {@code group}.</li>
 * </ul>
 */
public final class MicrometerConsumeHook implements ConsumeHook {

    public static final String PROCESS = "mq.consumer.process";
    public static final String RETRIES = "mq.consumer.retries";
    public static final String DEAD_LETTERS = "mq.consumer.dead-letters";
    public static final String LAG = "mq.consumer.lag";
    public static final String CACHED_MESSAGES = "mq.consumer.cached.messages";
    public static final String CACHED_BYTES = "mq.consumer.cached.bytes";

    private final MeterRegistry registry;
    private final ConcurrentMap<Key, Meters> meters = new ConcurrentHashMap<>();
    /** Group to its max reconsume times, for consumers bound with {@link #bindConsumerMeters}. */
    private final ConcurrentMap<String, Integer> maxReconsumeTimes = new ConcurrentHashMap<>();

    public MicrometerConsumeHook(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Registers the gauges read from {@code consumer} (held weakly, as Micrometer gauges are):
     * {@value #LAG} per subscribed topic and {@value #CACHED_MESSAGES}, {@value #CACHED_BYTES}; and
     * remembers the group's {@link ConsumerConfig#maxReconsumeTimes()} to count a failure on the last
     * allowed delivery as a dead letter.
     */
    public void bindConsumerMeters(PushConsumer consumer) {
        ConsumerConfig config = consumer.config();
        String group = config.group();
        maxReconsumeTimes.put(group, config.maxReconsumeTimes());
        for (String topic : config.subscriptions().keySet()) {
            Gauge.builder(LAG, consumer, c -> lag(c.stats(), topic))
                    .description("Messages between the committed offsets and the brokers' ends of the owned queues")
                    .tag("group", group).tag("topic", topic)
                    .register(registry);
        }
        Gauge.builder(CACHED_MESSAGES, consumer, c -> c.stats().cachedMessages())
                .description("Messages pulled and not yet finished")
                .tag("group", group).register(registry);
        Gauge.builder(CACHED_BYTES, consumer, c -> c.stats().cachedBytes())
                .description("Body bytes of the messages pulled and not yet finished").baseUnit("bytes")
                .tag("group", group).register(registry);
    }

    private static double lag(ConsumerStats stats, String topic) {
        long lag = 0;
        for (Map.Entry<MessageQueue, ConsumerStats.QueueStats> e : stats.queues().entrySet()) {
            if (e.getKey().topic().equals(topic)) {
                lag += e.getValue().lag();
            }
        }
        return lag;
    }

    @Override
    public void afterConsume(ConsumeContext context) {
        ConsumeResult result = context.result();
        if (result == null) {
            return;
        }
        // The message's own topic, also when it was re-delivered through the group's retry topic.
        Meters m = meters.computeIfAbsent(new Key(context.message().topic(), context.group()), Meters::new);
        Integer max = maxReconsumeTimes.get(context.group());
        boolean exhausted = result == ConsumeResult.RETRY && max != null && context.reconsumeTimes() >= max;
        ConsumeResult counted = exhausted ? ConsumeResult.DEAD_LETTER : result;
        m.timer(counted).record(context.handlerTime().toNanos(), TimeUnit.NANOSECONDS);
        if (counted == ConsumeResult.RETRY) {
            m.retries.increment();
        } else if (counted == ConsumeResult.DEAD_LETTER) {
            m.deadLetters.increment();
        }
    }

    private record Key(String topic, String group) {
    }

    /** One topic's meters for one group. */
    private final class Meters {

        private final Key key;
        private final ConcurrentMap<ConsumeResult, Timer> timers = new ConcurrentHashMap<>();
        final Counter retries;
        final Counter deadLetters;

        Meters(Key key) {
            this.key = key;
            this.retries = Counter.builder(RETRIES).description("Messages handed back for a later re-delivery")
                    .tag("topic", key.topic()).tag("group", key.group()).register(registry);
            this.deadLetters = Counter.builder(DEAD_LETTERS).description("Messages sent to the dead-letter topic")
                    .tag("topic", key.topic()).tag("group", key.group()).register(registry);
        }

        Timer timer(ConsumeResult result) {
            Timer timer = timers.get(result);
            return timer != null ? timer : timers.computeIfAbsent(result, r -> Timer.builder(PROCESS)
                    .description("Listener time per message")
                    .tag("topic", key.topic()).tag("group", key.group())
                    .tag("result", r.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }
}
