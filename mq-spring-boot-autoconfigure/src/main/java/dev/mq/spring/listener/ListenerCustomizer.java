package dev.mq.spring.listener;

import dev.mq.core.consumer.ConsumerConfig;

/**
 * Adjusts the consumer configuration of every {@link MQListener} container before it is built, after
 * the {@code mq.consumer.*} defaults and the annotation's attributes were applied: for settings no
 * property or attribute covers (queue allocation, hooks, thread factory). Customizer beans run in
 * {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface ListenerCustomizer {

    /**
     * @param listenerId the container's id ({@link MQListener#id()}, by default its group)
     * @param builder    the configuration being built
     */
    void customize(String listenerId, ConsumerConfig.Builder builder);
}
