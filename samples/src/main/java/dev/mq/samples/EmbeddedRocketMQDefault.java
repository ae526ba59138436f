package dev.mq.samples;

import dev.mq.test.EmbeddedRocketMQ;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * When the application has no {@code mq.name-server}, starts the real Apache RocketMQ NameServer and
 * Broker embedded (child JVMs on 127.0.0.1) and points {@code mq.name-server} at them; they stop
 * with the application. With {@code mq.name-server} set, or while {@code spring-boot:process-aot}
 * prepares the context to generate code from it, it does nothing.
 */
public class EmbeddedRocketMQDefault implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "embeddedRocketMQ";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty("mq.name-server");
        if (configured != null && !configured.isBlank()) {
            return;
        }
        if (Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
            // spring-boot:process-aot only prepares the context to generate code: nothing connects.
            return;
        }
        EmbeddedRocketMQ mq = EmbeddedRocketMQ.builder().build().start();
        // Created up front, so that the order listener owns its queues before the first order arrives.
        mq.createTopic(OrderController.TOPIC, 4);
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE,
                Map.of("mq.name-server", mq.nameServerAddress())));
        // Stopped as the context's last lifecycle, after the listeners' final offset commits and the
        // client's unregistration (a ContextClosedEvent would come before both).
        // No JVM shutdown hook of its own: on SIGTERM it would run beside Spring's and stop the broker
        // before the listeners' final commits. A JVM that ends without closing the context leaves
        // nothing behind either: the nodes exit when their stdin, this JVM's pipe, closes.
        application.addInitializers(context -> context.getBeanFactory()
                .registerSingleton("embeddedRocketMQ", new StopsLast(mq)));
    }

    /** Closes the embedded broker when the context stops, in the lowest phase: after everything using it. */
    private static final class StopsLast implements SmartLifecycle {

        private final EmbeddedRocketMQ mq;
        private volatile boolean running = true;

        StopsLast(EmbeddedRocketMQ mq) {
            this.mq = mq;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            mq.close();
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return Integer.MIN_VALUE;
        }
    }

    /** After application.yml and the other property sources are in place. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
