package dev.mq.spring.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/** Creates the {@link SendObserver} of a template; provided when Micrometer Observation is available. */
@FunctionalInterface
interface SendObserverFactory {

    SendObserver create(String producerGroup);

    /** The observer a template of {@code producerGroup} should use under {@code properties}. */
    static SendObserver observer(ObjectProvider<SendObserverFactory> factories, ProducerProperties properties,
                                 String producerGroup) {
        if (!properties.isObservationEnabled()) {
            return SendObserver.NONE;
        }
        SendObserverFactory factory = factories.getIfAvailable();
        if (factory == null) {
            throw new InvalidConfigurationPropertyValueException("mq.producer.observation-enabled", true,
                    "Observation needs Micrometer's ObservationRegistry: add spring-boot-starter-actuator "
                            + "(or micrometer-observation and an ObservationRegistry bean).");
        }
        return factory.create(producerGroup);
    }
}
