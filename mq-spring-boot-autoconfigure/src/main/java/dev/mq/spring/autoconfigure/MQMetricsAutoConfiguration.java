package dev.mq.spring.autoconfigure;

import dev.mq.core.metrics.MicrometerConsumeHook;
import dev.mq.core.metrics.MicrometerSendHook;
import dev.mq.core.producer.Producer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Send metrics in Micrometer through a {@link MicrometerSendHook} on every auto-configured producer,
 * plus the in-flight gauge of each producer; consumption metrics through a {@link MicrometerConsumeHook}
 * on every {@code @MQListener} consumer, plus its lag and cache gauges; request-reply's request
 * latency, timeouts and failed replies. See {@code docs/metrics.md}.
 */
@AutoConfiguration(before = MQAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, Producer.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "mq.metrics.enabled", matchIfMissing = true)
public final class MQMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MicrometerSendHook mqMicrometerSendHook(MeterRegistry registry) {
        return new MicrometerSendHook(registry);
    }

    @Bean
    MeterBinder mqProducerMetrics(ObjectProvider<Producer> producers) {
        return registry -> producers.orderedStream()
                .forEach(producer -> MicrometerSendHook.bindProducerMeters(registry, producer));
    }

    @Bean
    @ConditionalOnMissingBean
    MicrometerConsumeHook mqMicrometerConsumeHook(MeterRegistry registry) {
        return new MicrometerConsumeHook(registry);
    }

    @Bean
    RequestReplyMetrics mqRequestReplyMetrics(MeterRegistry registry) {
        return new MicrometerRequestReplyMetrics(registry);
    }

    @Bean
    ConsumerMeterBinder mqConsumerMeterBinder(MicrometerConsumeHook hook) {
        return hook::bindConsumerMeters;
    }
}
