package dev.mq.spring.autoconfigure;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.util.Map;

/**
 * One Micrometer {@link Observation} per send, named {@value #NAME}, with low-cardinality messaging
 * tags. Its sender context's carrier is the message's property map, so a tracing bridge writes the
 * trace context (e.g. {@code traceparent}) into the message a consumer receives.
 */
final class ObservationSendObserver implements SendObserver {

    static final String NAME = "mq.producer.observation";

    private final ObservationRegistry registry;
    private final String group;

    ObservationSendObserver(ObservationRegistry registry, String group) {
        this.registry = registry;
        this.group = group;
    }

    @Override
    public Scope start(String topic, String mode, Map<String, String> carrier) {
        SenderContext<Map<String, String>> context = new SenderContext<>(Map::put, Kind.PRODUCER);
        context.setCarrier(carrier);
        context.setRemoteServiceName("rocketmq");
        Observation observation = Observation.createNotStarted(NAME, () -> context, registry)
                .contextualName(topic + " send")
                .lowCardinalityKeyValue("messaging.system", "rocketmq")
                .lowCardinalityKeyValue("messaging.operation", "publish")
                .lowCardinalityKeyValue("messaging.destination.name", topic)
                .lowCardinalityKeyValue("messaging.rocketmq.client_group", group)
                .lowCardinalityKeyValue("mq.mode", mode)
                .start();
        return new Scope() {
            @Override
            public void success() {
                observation.stop();
            }

            @Override
            public void failure(Throwable error) {
                observation.error(error);
                observation.stop();
            }
        };
    }
}
