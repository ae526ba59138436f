package dev.mq.spring.autoconfigure;

import dev.mq.core.ReceivedMessage;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * One Micrometer {@link Observation} per message handled by an {@code @MQListener}, named
 * {@value #NAME}. Its receiver context reads the carrier from the message properties, so a tracing
 * bridge continues the trace the producer's observation wrote there ({@code traceparent}, ...): the
 * handler runs in a span whose parent is the send's.
 */
final class ObservationReceiveObserver implements ReceiveObserver {

    static final String NAME = "mq.consumer.observation";

    private final ObservationRegistry registry;

    ObservationReceiveObserver(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Scope start(String listenerId, String group, ReceivedMessage message) {
        ReceiverContext<ReceivedMessage> context = new ReceiverContext<>(ReceivedMessage::property, Kind.CONSUMER);
        context.setCarrier(message);
        context.setRemoteServiceName("rocketmq");
        Observation observation = Observation.createNotStarted(NAME, () -> context, registry)
                .contextualName(message.topic() + " process")
                .lowCardinalityKeyValue("messaging.system", "rocketmq")
                .lowCardinalityKeyValue("messaging.operation", "process")
                .lowCardinalityKeyValue("messaging.destination.name", message.topic())
                .lowCardinalityKeyValue("messaging.rocketmq.client_group", group)
                .lowCardinalityKeyValue("mq.listener", listenerId)
                .highCardinalityKeyValue("messaging.message.id", message.messageId())
                .start();
        return new Scope() {
            @Override
            public AutoCloseable open() {
                Observation.Scope scope = observation.openScope();
                return scope::close;
            }

            @Override
            public void stop(String result, @Nullable Throwable error) {
                observation.lowCardinalityKeyValue("mq.result", result);
                if (error != null) {
                    observation.error(error);
                }
                observation.stop();
            }
        };
    }
}
