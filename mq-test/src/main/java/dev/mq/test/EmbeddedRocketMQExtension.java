package dev.mq.test;

import java.util.Arrays;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension behind {@link WithEmbeddedRocketMQ}: starts (or reuses) the cluster before
 * all tests of a class, publishes its address, injects it, and closes it when its scope ends.
 */
public final class EmbeddedRocketMQExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedRocketMQExtension.class);
    private static final String INSTANCE = "instance";
    private static final String PREVIOUS_PROPERTY = "previous-name-server-property";

    @Override
    public void beforeAll(ExtensionContext context) {
        WithEmbeddedRocketMQ settings = AnnotationSupport
                .findAnnotation(context.getRequiredTestClass(), WithEmbeddedRocketMQ.class)
                .orElseThrow(() -> new IllegalStateException("@WithEmbeddedRocketMQ not found"));
        ExtensionContext.Store scope = settings.shared()
                ? context.getRoot().getStore(NAMESPACE)
                : context.getStore(NAMESPACE);
        EmbeddedRocketMQ mq = scope.getOrComputeIfAbsent(key(settings), k -> start(settings), EmbeddedRocketMQ.class);
        ExtensionContext.Store classStore = context.getStore(NAMESPACE);
        classStore.put(INSTANCE, new Holder(mq));
        String previous = System.setProperty(EmbeddedRocketMQ.NAME_SERVER_PROPERTY, mq.nameServerAddress());
        classStore.put(PREVIOUS_PROPERTY, previous == null ? "" : previous);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String previous = context.getStore(NAMESPACE).remove(PREVIOUS_PROPERTY, String.class);
        if (previous == null || previous.isEmpty()) {
            System.clearProperty(EmbeddedRocketMQ.NAME_SERVER_PROPERTY);
        } else {
            System.setProperty(EmbeddedRocketMQ.NAME_SERVER_PROPERTY, previous);
        }
    }

    private static EmbeddedRocketMQ start(WithEmbeddedRocketMQ settings) {
        EmbeddedRocketMQ.Builder builder = EmbeddedRocketMQ.builder()
                .rocketmqVersion(settings.version())
                .brokers(settings.brokers())
                .autoCreateTopic(settings.autoCreateTopic());
        for (String property : settings.brokerProperties()) {
            int eq = property.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("brokerProperties entries are key=value, got " + property);
            }
            builder.brokerProperty(property.substring(0, eq).trim(), property.substring(eq + 1).trim());
        }
        EmbeddedRocketMQ mq = builder.build().start();
        for (String topic : settings.topics()) {
            mq.createTopic(topic, settings.queues());
        }
        return mq;
    }

    private static String key(WithEmbeddedRocketMQ settings) {
        return "mq:" + settings.version() + ":" + settings.brokers() + ":" + settings.autoCreateTopic() + ":"
                + settings.queues() + ":"
                + Arrays.toString(settings.topics()) + ":" + Arrays.toString(settings.brokerProperties());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedRocketMQ.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Holder holder = context.getStore(NAMESPACE).get(INSTANCE, Holder.class);
        if (holder == null) {
            throw new IllegalStateException("no EmbeddedRocketMQ: annotate the test class with @WithEmbeddedRocketMQ");
        }
        return holder.mq;
    }

    /** Keeps the class-level reference from being closed with the class when the instance is shared. */
    private record Holder(EmbeddedRocketMQ mq) {
    }
}
