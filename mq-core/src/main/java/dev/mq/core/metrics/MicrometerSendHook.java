package dev.mq.core.metrics;

import dev.mq.core.MQException;
import dev.mq.core.producer.DefaultProducer;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.SendContext;
import dev.mq.core.producer.SendHook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

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
 * </ul>
 * A send is counted once however many attempts it took: only the final attempt's outcome is timed.
 */
public final class MicrometerSendHook implements SendHook {

    public static final String SEND = "mq.producer.send";
    public static final String RETRIES = "mq.producer.retries";
    public static final String SIZE = "mq.producer.message.size";
    public static final String IN_FLIGHT = "mq.producer.in-flight";
    public static final String AUTO_BATCHES = "mq.producer.auto-batches";

    private final MeterRegistry registry;
    private final ConcurrentMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<TopicKey, Counter> retries = new ConcurrentHashMap<>();
    private final ConcurrentMap<TopicKey, DistributionSummary> sizes = new ConcurrentHashMap<>();

    public MicrometerSendHook(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Registers the meters read from {@code producer} itself (held weakly, as Micrometer gauges are):
     * {@value #IN_FLIGHT} and, for a {@link DefaultProducer}, {@value #AUTO_BATCHES}.
     */
    public static void bindProducerMeters(MeterRegistry registry, Producer producer) {
        Gauge.builder(IN_FLIGHT, producer, Producer::inFlightRequests)
                .description("Requests of the producer in flight (admitted under its cap, not yet answered)")
                .tag("group", producer.group())
                .register(registry);
        if (producer instanceof DefaultProducer defaultProducer) {
            FunctionCounter.builder(AUTO_BATCHES, defaultProducer, DefaultProducer::autoBatches)
                    .description("Automatic batches written (each carries two messages or more)")
                    .tag("group", producer.group())
                    .register(registry);
        }
    }

    @Override
    public void beforeSend(SendContext context) {
        if (context.attempt() > 1) {
            retries.computeIfAbsent(new TopicKey(context.topic(), context.producerGroup()), k ->
                    Counter.builder(RETRIES).description("Send attempts after the first")
                            .tag("topic", k.topic()).tag("group", k.group()).register(registry)).increment();
        }
    }

    @Override
    public void afterSend(SendContext context) {
        if (!context.isFinalAttempt()) {
            return;
        }
        Throwable error = context.error();
        TimerKey key = new TimerKey(context.topic(), context.producerGroup(), context.mode().name(),
                error == null ? "none" : error.getClass().getSimpleName(), reason(error));
        timers.computeIfAbsent(key, k -> Timer.builder(SEND)
                .description("Sends from call to outcome, retries included")
                .tag("topic", k.topic()).tag("group", k.group())
                .tag("mode", k.mode().toLowerCase(Locale.ROOT))
                .tag("result", k.exception().equals("none") ? "success" : "failure")
                .tag("reason", k.reason())
                .tag("exception", k.exception())
                .register(registry)).record(context.totalElapsed().toNanos(), TimeUnit.NANOSECONDS);
        sizes.computeIfAbsent(new TopicKey(context.topic(), context.producerGroup()), k ->
                DistributionSummary.builder(SIZE).description("Message body bytes per send").baseUnit("bytes")
                        .tag("topic", k.topic()).tag("group", k.group()).register(registry))
                .record(context.messageBytes());
    }

    /** The {@code reason} tag: few values, so that failures can be told apart without a cardinality cost. */
    private static String reason(Throwable error) {
        if (error == null) {
            return "none";
        }
        return error instanceof MQException mq ? mq.reason().name() : "OTHER";
    }

    private record TimerKey(String topic, String group, String mode, String exception, String reason) {
    }

    private record TopicKey(String topic, String group) {
    }
}
