package dev.mq.spring.autoconfigure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Request-reply meters in Micrometer: {@code mq.producer.request} (timer: topic, group, outcome),
 * {@code mq.producer.request.timeouts} and {@code mq.listener.reply.failures} (counters: topic, group).
 * Its own class, so that Micrometer (an optional dependency) is loaded only when a registry exists.
 */
final class MicrometerRequestReplyMetrics implements RequestReplyMetrics {

    private final MeterRegistry registry;

    MicrometerRequestReplyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void request(String topic, String group, Duration latency, @Nullable Throwable error) {
        String outcome = RequestReplyMetrics.outcome(error);
        Timer.builder("mq.producer.request").description("Requests, from the call to the reply or the failure")
                .tags("topic", topic, "group", group, "outcome", outcome).register(registry).record(latency);
        if (outcome.equals("timeout")) {
            Counter.builder("mq.producer.request.timeouts").description("Requests that had no reply in time")
                    .tags("topic", topic, "group", group).register(registry).increment();
        }
    }

    @Override
    public void failedReply(String topic, String group) {
        Counter.builder("mq.listener.reply.failures")
                .description("Replies a listener could not deliver within the request's time to live")
                .tags("topic", topic, "group", group).register(registry).increment();
    }
}
