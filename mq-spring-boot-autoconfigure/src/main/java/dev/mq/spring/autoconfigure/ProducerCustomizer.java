package dev.mq.spring.autoconfigure;

import dev.mq.core.producer.ProducerConfig;

/**
 * Adjusts the configuration of every auto-configured producer before it is built, after the
 * properties were applied. Customizer beans run in {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface ProducerCustomizer {

    /**
     * @param name    the producer's name: {@code "default"} for {@code mq.producer}, otherwise the key
     *                under {@code mq.producers}
     * @param builder the configuration being built
     */
    void customize(String name, ProducerConfig.Builder builder);
}
