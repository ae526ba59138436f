package dev.mq.core.metrics;

import dev.mq.core.MQException;
import dev.mq.core.internal.protocol.Validation;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerStats;
import dev.mq.core.producer.SendContext;
import dev.mq.core.producer.SendHook;
import dev.mq.core.producer.TransactionState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * Records sends in Micrometer. Register it on a producer with
 * {@code ProducerConfig.builder().hook(new MicrometerSendHook(registry))} (the Spring Boot starter does
 * this for you) and, for the per-producer meters, call {@link #bindProducerMeters}.
 *
 * <ul>
 *   <li>{@value #SEND} (timer): one record per send, from the call to its outcome (route lookup,
 *       backpressure waits and retries included). Tags {@code topic}, {@code group}, {@code mode}
 *       ({@code sync|async|oneway}), {@code result} ({@code success|failure}), {@code reason}
 *       ({@code none}, or the failure's {@link MQException.Reason} such as {@code TIMEOUT} or
 *       {@code CONNECTION}; {@code OTHER} for an error that is not an {@link MQException}),
 *       {@code exception} ({@code none} or the simple class name).</li>
 *   <li>{@value #RETRIES} (counter): attempts after the first. Tags {@code topic}, {@code group}.</li>
 *   <li>{@value #SIZE} (distribution summary, bytes): body bytes per send, as given by the user.
 *       Tags {@code topic}, {@code group}.</li>
 *   <li>{@value #IN_FLIGHT} (gauge): requests in flight. Tag {@code group}.</li>
 *   <li>{@value #AUTO_BATCHES} (function counter): automatic batches written (see
 *       {@link dev.mq.core.producer.AutoBatching}); with {@value #SEND}'s count it gives the average
 *       batch size. Tag {@code group}.</li>
 *   <li>{@value #TRANSACTIONS} (function counter): transactions the producer ended, by the state it
 *       sent. Tags {@code group}, {@code outcome} ({@code commit|rollback|unknown}).</li>
 *   <li>{@value #TRANSACTION_CHECKS} (function counter): the broker's check-backs on the group's
 *       transactions answered by this producer, by answer. Tags {@code group}, {@code answer}
 *       ({@code commit|rollback|unknown}).</li>
 * </ul>
 * A send is counted once however many attempts it took: only the final attempt's outcome is timed.
 *
 * <p>The per-topic meters of a topic without any send for the topic idle time (default
 * {@link #DEFAULT_TOPIC_IDLE_TIME}, one hour) are removed from the registry, so that an application
 * that sent to many topics once does not keep their meters forever; the next send to the topic
 * registers them again, starting from zero (monitoring systems see a counter reset, as after a
 * restart). The check runs at most once per idle time, on a thread that records a send.
 */
public final class MicrometerSendHook implements SendHook {

    public static final String SEND = "mq.producer.send";
    public static final String RETRIES = "mq.producer.retries";
    public static final String SIZE = "mq.producer.message.size";
    public static final String IN_FLIGHT = "mq.producer.in-flight";
    public static final String AUTO_BATCHES = "mq.producer.auto-batches";
    public static final String TRANSACTIONS = "mq.producer.transactions";
    public static final String TRANSACTION_CHECKS = "mq.producer.transaction.checks";
    /** How long a topic's meters stay registered without a send, unless another time is given. */
    public static final Duration DEFAULT_TOPIC_IDLE_TIME = Duration.ofHours(1);

    private static final AtomicLongFieldUpdater<MicrometerSendHook> NEXT_SWEEP =
            AtomicLongFieldUpdater.newUpdater(MicrometerSendHook.class, "nextSweepNanos");

    private final MeterRegistry registry;
    /** The registry's own clock, as Micrometer's meters use: a registry built on a mock clock makes idle removal testable. */
    private final io.micrometer.core.instrument.Clock clock;
    private final long idleNanos;
    private final ConcurrentMap<TopicKey, TopicMeters> topics = new ConcurrentHashMap<>();
    private volatile long nextSweepNanos;

    /** Records into {@code registry}; a topic's meters are removed after {@link #DEFAULT_TOPIC_IDLE_TIME} without sends. */
    public MicrometerSendHook(MeterRegistry registry) {
        this(registry, DEFAULT_TOPIC_IDLE_TIME);
    }

    /**
     * Records into {@code registry}; the per-topic meters of a topic without sends for
     * {@code topicIdleTime} are removed from it (and registered again by the topic's next send).
     *
     * @throws dev.mq.core.ConfigException naming {@code topicIdleTime} if it is not positive
     */
    public MicrometerSendHook(MeterRegistry registry, Duration topicIdleTime) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Validation.checkTimeoutSetting("topicIdleTime", "meter idle time", topicIdleTime, false);
        this.clock = registry.config().clock();
        this.idleNanos = topicIdleTime.toNanos();
        this.nextSweepNanos = clock.monotonicTime() + idleNanos;
    }

    /**
     * Registers the meters read from {@code producer} itself (held weakly, as Micrometer gauges are):
     * {@value #IN_FLIGHT} and {@value #AUTO_BATCHES}, from its {@link Producer#stats()}.
     */
    public static void bindProducerMeters(MeterRegistry registry, Producer producer) {
        Gauge.builder(IN_FLIGHT, producer.stats(), ProducerStats::inFlightRequests)
                .description("Requests of the producer in flight (admitted under its cap, not yet answered)")
                .tag("group", producer.group())
                .register(registry);
        FunctionCounter.builder(AUTO_BATCHES, producer.stats(), ProducerStats::autoBatches)
                .description("Automatic batches written (each carries two messages or more)")
                .tag("group", producer.group())
                .register(registry);
        for (TransactionState state : TransactionState.values()) {
            String tag = state.name().toLowerCase(Locale.ROOT);
            FunctionCounter.builder(TRANSACTIONS, producer.stats(), stats -> stats.transactions(state))
                    .description("Transactions the producer ended, by the state it sent")
                    .tag("group", producer.group())
                    .tag("outcome", tag)
                    .register(registry);
            FunctionCounter.builder(TRANSACTION_CHECKS, producer.stats(), stats -> stats.transactionChecks(state))
                    .description("Broker check-backs on the group's transactions answered here, by answer")
                    .tag("group", producer.group())
                    .tag("answer", tag)
                    .register(registry);
        }
    }

    @Override
    public void beforeSend(SendContext context) {
        if (context.attempt() > 1) {
            topic(context, clock.monotonicTime()).retries().increment();
        }
    }

    @Override
    public void afterSend(SendContext context) {
        if (!context.isFinalAttempt()) {
            return;
        }
        long now = clock.monotonicTime();
        TopicMeters meters = topic(context, now);
        Throwable error = context.error();
        meters.timer(new OutcomeKey(context.mode().name(), error == null ? "none" : error.getClass().getSimpleName(),
                reason(error))).record(context.totalElapsed().toNanos(), TimeUnit.NANOSECONDS);
        meters.size().record(context.messageBytes());
        long next = nextSweepNanos;
        if (now - next >= 0 && NEXT_SWEEP.compareAndSet(this, next, now + idleNanos)) {
            removeIdleTopics(now);
        }
    }

    /** The meters of the context's topic, marked as used at {@code now}. */
    private TopicMeters topic(SendContext context, long now) {
        TopicKey key = new TopicKey(context.topic(), context.producerGroup());
        TopicMeters meters = topics.get(key);
        if (meters == null) {
            meters = topics.computeIfAbsent(key, TopicMeters::new);
        }
        meters.lastUsedNanos = now;
        return meters;
    }

    /**
     * Removes the meters of topics idle for the idle time. A send recorded at the very moment its
     * topic's meters are removed may be lost with them; the topic was idle for the whole idle time.
     */
    private void removeIdleTopics(long now) {
        topics.forEach((key, meters) -> {
            if (now - meters.lastUsedNanos > idleNanos && topics.remove(key, meters)) {
                meters.removeFrom(registry);
            }
        });
    }

    /** The {@code reason} tag: few values, so that failures can be told apart without a cardinality cost. */
    private static String reason(@Nullable Throwable error) {
        if (error == null) {
            return "none";
        }
        return error instanceof MQException mq ? mq.reason().name() : "OTHER";
    }

    private record TopicKey(String topic, String group) {
    }

    private record OutcomeKey(String mode, String exception, String reason) {
    }

    /** One topic's meters (for one group), registered on first use. */
    private final class TopicMeters {

        private final TopicKey key;
        private final ConcurrentMap<OutcomeKey, Timer> timers = new ConcurrentHashMap<>();
        private volatile @Nullable Counter retries;
        private volatile @Nullable DistributionSummary size;
        volatile long lastUsedNanos;

        TopicMeters(TopicKey key) {
            this.key = key;
        }

        Timer timer(OutcomeKey outcome) {
            Timer timer = timers.get(outcome);
            return timer != null ? timer : timers.computeIfAbsent(outcome, o -> Timer.builder(SEND)
                    .description("Sends from call to outcome, retries included")
                    .tag("topic", key.topic()).tag("group", key.group())
                    .tag("mode", o.mode().toLowerCase(Locale.ROOT))
                    .tag("result", o.exception().equals("none") ? "success" : "failure")
                    .tag("reason", o.reason())
                    .tag("exception", o.exception())
                    .register(registry));
        }

        Counter retries() {
            Counter counter = retries;
            if (counter == null) { // registering twice returns the same meter: no lock needed
                counter = Counter.builder(RETRIES).description("Send attempts after the first")
                        .tag("topic", key.topic()).tag("group", key.group()).register(registry);
                retries = counter;
            }
            return counter;
        }

        DistributionSummary size() {
            DistributionSummary summary = size;
            if (summary == null) {
                summary = DistributionSummary.builder(SIZE).description("Message body bytes per send").baseUnit("bytes")
                        .tag("topic", key.topic()).tag("group", key.group()).register(registry);
                size = summary;
            }
            return summary;
        }

        void removeFrom(MeterRegistry from) {
            timers.values().forEach(from::remove);
            Meter counter = retries;
            if (counter != null) {
                from.remove(counter);
            }
            Meter summary = size;
            if (summary != null) {
                from.remove(summary);
            }
        }
    }
}
