package dev.mq.spring.autoconfigure;

import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeHook;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.spring.listener.ListenerCustomizer;
import dev.mq.spring.listener.MQListener;
import dev.mq.spring.listener.MQListenerErrorHandler;
import dev.mq.spring.listener.MQListenerRegistry;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.core.env.Environment;

/**
 * {@link MQListener} methods: the bean post-processor that finds them and the
 * {@link MQListenerRegistry} (bean {@code mqListenerRegistry}) of their containers, on the
 * auto-configured client. Defaults come from {@code mq.consumer.*}; {@link ConsumeHook} beans (the
 * Micrometer hook among them) are added to every listener's consumer, {@link ListenerCustomizer}
 * beans adjust each one's configuration, and with {@code spring.threads.virtual.enabled} (Java 21+)
 * handlers run on virtual threads.
 */
@AutoConfiguration(after = {MQAutoConfiguration.class, MQMetricsAutoConfiguration.class,
        MQObservationAutoConfiguration.class})
@ConditionalOnBean(MQClientInstance.class)
public final class MQListenerAutoConfiguration {

    /** Bean name of the {@link MQListenerRegistry}. */
    public static final String REGISTRY_BEAN = "mqListenerRegistry";

    /** Bean name of the customizer that puts handlers on virtual threads, when they are enabled. */
    public static final String VIRTUAL_THREADS_BEAN = "mqListenerVirtualThreads";

    /** Group of the producer listeners reply through when the application has no default producer. */
    public static final String REPLY_PRODUCER_GROUP = "mq-listener-replies";

    @Bean
    static ListenerAnnotationBeanPostProcessor mqListenerAnnotationBeanPostProcessor() {
        return new ListenerAnnotationBeanPostProcessor();
    }

    @Bean(name = REGISTRY_BEAN)
    ListenerRegistry mqListenerRegistry(MQClientInstance client, MQProperties properties, Environment environment,
                                        MQPayloadConverter converter, ObjectProvider<ConsumeHook> hooks,
                                        ObjectProvider<ListenerCustomizer> customizers,
                                        ObjectProvider<MQListenerErrorHandler> errorHandlers, BeanFactory beans,
                                        ObjectProvider<ReceiveObserver> observers,
                                        ObjectProvider<ConsumerMeterBinder> binders,
                                        ObjectProvider<RequestReplyMetrics> requestMetrics) {
        ConsumerProperties consumer = properties.getConsumer();
        ReceiveObserver observer = ReceiveObserver.NONE;
        if (consumer.isObservationEnabled()) {
            observer = observers.getIfAvailable();
            if (observer == null) {
                throw new InvalidConfigurationPropertyValueException("mq.consumer.observation-enabled", true,
                        "Observation needs Micrometer's ObservationRegistry: add spring-boot-starter-actuator "
                                + "(or micrometer-observation and an ObservationRegistry bean).");
            }
        }
        List<Consumer<PushConsumer>> meterBinders = binders.orderedStream()
                .map(b -> (Consumer<PushConsumer>) b::bind).toList();
        return new ListenerRegistry(new ListenerContainerFactory(new ListenerContainerFactory.Context(client, consumer,
                environment, converter, ApplicationConversionService.getSharedInstance(),
                hooks.orderedStream().toList(), customizers.orderedStream().toList(), errorHandlers, beans, observer,
                meterBinders, new ListenerReplier(replyProducer(client, beans), converter,
                        requestMetrics.getIfAvailable(() -> RequestReplyMetrics.NONE)))));
    }

    /**
     * With {@code spring.threads.virtual.enabled} on Java 21+, every listener's handlers are virtual
     * threads named {@code mq-listener-<id>-<n>}: a customizer that runs before the application's
     * own, which may still give a listener another thread factory.
     */
    @Bean(name = VIRTUAL_THREADS_BEAN)
    @ConditionalOnThreading(Threading.VIRTUAL)
    ListenerCustomizer mqListenerVirtualThreads() {
        return new VirtualThreadListeners();
    }

    private static final class VirtualThreadListeners implements ListenerCustomizer, Ordered {

        @Override
        public void customize(String listenerId, ConsumerConfig.Builder builder) {
            builder.threadFactory(new VirtualThreadTaskExecutor("mq-listener-" + listenerId + "-")
                    .getVirtualThreadFactory());
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    /**
     * The producer listeners reply through, found at the first reply: the default producer
     * ({@code mq.producer.group}) when there is one, else one made on the client for replies alone.
     */
    static Supplier<Producer> replyProducer(MQClientInstance client, BeanFactory beans) {
        return new Supplier<>() {
            private @Nullable Producer producer;

            @Override
            public synchronized Producer get() {
                if (producer == null) {
                    producer = beans.containsBean(MQAutoConfiguration.PRODUCER_BEAN)
                            ? beans.getBean(MQAutoConfiguration.PRODUCER_BEAN, Producer.class)
                            : client.newProducer(ProducerConfig.builder().group(REPLY_PRODUCER_GROUP).build());
                }
                return producer;
            }
        };
    }
}
