package dev.mq.spring.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Makes Micrometer Observation available to {@link MQTemplate}s whose producer sets
 * {@code observation-enabled}: one observation per send, with the trace context written into the
 * message properties; and to {@code @MQListener}s with {@code mq.consumer.observation-enabled}: one
 * observation per received message, continuing the producer's trace.
 */
@AutoConfiguration(before = MQAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class MQObservationAutoConfiguration {

    @Bean
    SendObserverFactory mqSendObserverFactory(ObservationRegistry registry) {
        return group -> new ObservationSendObserver(registry, group);
    }

    @Bean
    ReceiveObserver mqReceiveObserver(ObservationRegistry registry) {
        return new ObservationReceiveObserver(registry);
    }
}
