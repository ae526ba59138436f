package dev.mq.samples;

import dev.mq.test.EmbeddedRocketMQ;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * When the application has no {@code mq.name-server}, starts the real Apache RocketMQ NameServer and
 * Broker embedded (child JVMs on 127.0.0.1) and points {@code mq.name-server} at them; they stop
 * with the application. With {@code mq.name-server} set, it does nothing.
 */
public class EmbeddedRocketMQDefault implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "embeddedRocketMQ";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty("mq.name-server");
        if (configured != null && !configured.isBlank()) {
            return;
        }
        EmbeddedRocketMQ mq = EmbeddedRocketMQ.builder().build().start();
        // Created up front, so that the order listener owns its queues before the first order arrives.
        mq.createTopic(OrderController.TOPIC, 4);
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE,
                Map.of("mq.name-server", mq.nameServerAddress())));
        application.addListeners(event -> {
            if (event instanceof ContextClosedEvent) {
                mq.close();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(mq::close, "embedded-rocketmq-shutdown"));
    }

    /** After application.yml and the other property sources are in place. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
