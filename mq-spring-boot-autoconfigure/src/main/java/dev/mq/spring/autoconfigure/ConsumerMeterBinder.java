package dev.mq.spring.autoconfigure;

import dev.mq.core.consumer.PushConsumer;

/** Registers the meters read from a listener's consumer (lag, cached messages); provided with Micrometer. */
@FunctionalInterface
interface ConsumerMeterBinder {

    void bind(PushConsumer consumer);
}
