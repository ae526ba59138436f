package dev.mq.spring.autoconfigure;

import dev.mq.core.ConfigException;
import dev.mq.core.MQException;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeHook;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.MessageSelector;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.spring.listener.ListenerCustomizer;
import dev.mq.spring.listener.MQListener;
import dev.mq.spring.listener.MQListenerErrorHandler;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Makes the container of one {@code @MQListener} method: resolves the annotation's placeholders,
 * builds the consumer configuration ({@code mq.consumer.*} defaults, then the annotation's overrides,
 * then the {@link ListenerCustomizer}s) and the push consumer on the application's client.
 *
 * <p>Mistakes fail start-up with an error that names what to fix: a property for the defaults
 * (checked once, when this factory is made), otherwise the listener method and its attribute.
 */
final class ListenerContainerFactory {

    /** Everything a container needs from the application context. */
    record Context(MQClientInstance client, ConsumerProperties properties, Environment environment,
                   MQPayloadConverter converter, ConversionService conversion, List<ConsumeHook> hooks,
                   List<ListenerCustomizer> customizers, ObjectProvider<MQListenerErrorHandler> errorHandlers,
                   BeanFactory beans, ReceiveObserver observer, List<Consumer<PushConsumer>> binders,
                   ListenerReplier replier) {
    }

    private final Context context;
    private final @Nullable ConsumeFrom defaultConsumeFrom;

    ListenerContainerFactory(Context context) {
        this.context = context;
        String from = context.properties().getConsumeFrom();
        this.defaultConsumeFrom = from == null ? null : consumeFrom(from,
                message -> new InvalidConfigurationPropertyValueException("mq.consumer.consume-from", from, message));
        // The defaults are checked once, alone, so that a refused value names its property.
        try {
            ConsumerConfig.Builder probe = ConsumerConfig.builder().group("probe").subscribe("probe", "*");
            applyDefaults(probe);
            probe.build();
        } catch (ConfigException e) {
            throw SettingProperties.consumer(e);
        }
    }

    private void applyDefaults(ConsumerConfig.Builder builder) {
        ConsumerProperties p = context.properties();
        PropertyMapper map = PropertyMapper.get(); // skips unset (null) properties
        map.from(p::getConcurrency).to(builder::concurrency);
        map.from(p::getMaxReconsumeTimes).to(builder::maxReconsumeTimes);
        map.from(p::getBatchSize).to(builder::batchSize);
        map.from(p::getPullBatchSize).to(builder::pullBatchSize);
        map.from(p::getMaxCachedMessages).to(builder::maxCachedMessages);
        map.from(p::getMaxCachedBytes).as(DataSize::toBytes).to(builder::maxCachedBytes);
        map.from(p::getCommitInterval).to(builder::commitInterval);
        map.from(p::getShutdownTimeout).to(builder::shutdownTimeout);
        map.from(p::getOrderlyRetryDelay).to(builder::orderlyRetryDelay);
        map.from(p::getOffsetStoreDirectory).to(builder::offsetStoreDirectory);
        map.from(defaultConsumeFrom).to(builder::consumeFrom);
    }

    /**
     * The container of {@code method} of {@code bean}, not started.
     *
     * @param claim called with the listener's id and group before its consumer is made; throws if
     *              either is taken
     */
    ListenerContainer create(Object bean, Method method, MQListener annotation,
                             java.util.function.BiConsumer<String, String> claim) {
        String description = ListenerMethod.describe(method);
        Attributes a = new Attributes(description, annotation, context.environment());
        String topic = a.required("topic", annotation.topic());
        String group = a.required("group", annotation.group());
        String id = a.resolve("id", annotation.id());
        if (id.isEmpty()) {
            id = group;
        }
        ListenerMethod listenerMethod = ListenerMethod.of(bean, method, annotation.batch(), context.converter(),
                context.conversion());

        ConsumerConfig.Builder builder = ConsumerConfig.builder();
        applyDefaults(builder);
        builder.group(group).messageModel(annotation.mode()).orderly(annotation.orderly());
        String selector = a.resolve("selector", annotation.selector());
        try {
            builder.subscribe(topic, annotation.selectorType() == MessageSelector.Type.SQL92
                    ? MessageSelector.sql92(selector) : MessageSelector.tags(selector));
        } catch (MQException e) {
            throw a.invalid("selector", selector, e.getMessage());
        }
        String concurrency = a.resolve("concurrency", annotation.concurrency());
        if (!concurrency.isEmpty()) {
            builder.concurrency(a.integer("concurrency", concurrency));
        }
        String maxReconsumeTimes = a.resolve("maxReconsumeTimes", annotation.maxReconsumeTimes());
        if (!maxReconsumeTimes.isEmpty()) {
            builder.maxReconsumeTimes(a.integer("maxReconsumeTimes", maxReconsumeTimes));
        }
        String batchSize = a.resolve("batchSize", annotation.batchSize());
        if (!batchSize.isEmpty()) {
            builder.batchSize(a.integer("batchSize", batchSize));
        }
        String from = a.resolve("consumeFrom", annotation.consumeFrom());
        if (!from.isEmpty()) {
            builder.consumeFrom(consumeFrom(from, message -> a.invalid("consumeFrom", from, message)));
        }
        String autoStartupValue = a.resolve("autoStartup", annotation.autoStartup());
        boolean autoStartup = autoStartupValue.isEmpty() ? context.properties().isAutoStartup()
                : a.bool("autoStartup", autoStartupValue);
        try {
            builder.build(); // the annotation's values, checked before any customizer changes them
        } catch (ConfigException e) {
            throw a.invalid(attributeOf(e.setting()), e.value(), e.getMessage());
        }
        context.hooks().forEach(builder::hook);
        String listenerId = id;
        context.customizers().forEach(c -> c.customize(listenerId, builder));
        ConsumerConfig config;
        try {
            config = builder.build();
        } catch (ConfigException e) {
            throw new IllegalStateException("@MQListener " + description + ": a ListenerCustomizer set "
                    + e.setting() + " to an invalid value: " + e.getMessage(), e);
        }
        MQListenerErrorHandler errorHandler = errorHandler(a, annotation.errorHandler());
        claim.accept(id, group);
        ListenerAdapter adapter = new ListenerAdapter(id, group, listenerMethod, errorHandler, context.observer(),
                context.replier());
        PushConsumer consumer = context.client().newPushConsumer(config, adapter.consumerListener());
        context.binders().forEach(b -> b.accept(consumer));
        return new ListenerContainer(id, topic, description, autoStartup, consumer);
    }

    private static String attributeOf(String setting) {
        return switch (setting) {
            case "subscribe" -> "topic";
            case "concurrency", "maxReconsumeTimes", "batchSize", "group", "consumeFrom" -> setting;
            default -> "mq.consumer." + setting;
        };
    }

    private @Nullable MQListenerErrorHandler errorHandler(Attributes a, String name) {
        String bean = a.resolve("errorHandler", name);
        if (!bean.isEmpty()) {
            try {
                return context.beans().getBean(bean, MQListenerErrorHandler.class);
            } catch (NoSuchBeanDefinitionException e) {
                throw a.invalid("errorHandler", bean, "there is no MQListenerErrorHandler bean named '" + bean + "'");
            }
        }
        MQListenerErrorHandler unique = context.errorHandlers().getIfUnique();
        if (unique == null && context.errorHandlers().stream().findAny().isPresent()) {
            throw a.invalid("errorHandler", "", "there are several MQListenerErrorHandler beans: name one in"
                    + " errorHandler, or mark one @Primary");
        }
        return unique;
    }

    private static ConsumeFrom consumeFrom(String value, Function<String, RuntimeException> invalid) {
        String v = value.trim();
        switch (v.toUpperCase(Locale.ROOT)) {
            case "LAST_OFFSET":
                return ConsumeFrom.LAST_OFFSET;
            case "FIRST_OFFSET":
                return ConsumeFrom.FIRST_OFFSET;
            default:
                try {
                    return ConsumeFrom.timestamp(Instant.parse(v));
                } catch (DateTimeParseException e) {
                    throw invalid.apply("consume-from must be LAST_OFFSET, FIRST_OFFSET or an ISO-8601 instant"
                            + " such as 2026-01-31T00:00:00Z, got '" + value + "'");
                }
        }
    }

    /** The annotation's string attributes of one method, placeholders resolved. */
    private record Attributes(String method, MQListener annotation, Environment environment) {

        String resolve(String attribute, String value) {
            try {
                return environment.resolveRequiredPlaceholders(value).trim();
            } catch (IllegalArgumentException e) {
                throw invalid(attribute, value, e.getMessage());
            }
        }

        String required(String attribute, String value) {
            String resolved = resolve(attribute, value);
            if (resolved.isEmpty()) {
                throw invalid(attribute, value, attribute + " must not be empty");
            }
            return resolved;
        }

        int integer(String attribute, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw invalid(attribute, value, "not a number");
            }
        }

        boolean bool(String attribute, String value) {
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            throw invalid(attribute, value, "must be true or false");
        }

        IllegalStateException invalid(String attribute, @Nullable Object value, @Nullable String problem) {
            return new IllegalStateException("@MQListener " + method + ": " + attribute + " '" + value
                    + "' is invalid: " + problem);
        }
    }
}
