package dev.mq.spring.autoconfigure;

import dev.mq.core.client.MQClientInstance;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.SendHook;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers, for each {@code mq.producers.<name>}, a {@link Producer} bean named {@code <name>Producer}
 * and an {@link MQTemplate} bean named {@code <name>MQTemplate}. All of them share the one
 * {@link MQClientInstance} (one cluster) but each has its own group, caps and hooks, and may be
 * transactional with its own checker: a {@code TransactionChecker} bean named {@code <name>TransactionChecker},
 * else its transaction log's if it enables one.
 */
class NamedProducersRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    static final String PREFIX = "mq.producers";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Map<String, ProducerProperties> producers = Binder.get(environment)
                .bind(PREFIX, Bindable.mapOf(String.class, ProducerProperties.class))
                .orElse(Map.of());
        if (producers.isEmpty()) {
            return;
        }
        ListableBeanFactory beans = (ListableBeanFactory) registry;
        producers.forEach((name, properties) -> {
            String producerBean = name + "Producer";
            String templateBean = name + "MQTemplate";
            if (!registry.containsBeanDefinition(producerBean)) {
                RootBeanDefinition producer = new RootBeanDefinition(Producer.class, () -> beans
                        .getBean(MQClientInstance.class)
                        .newProducer(ProducerConfigFactory.create(name, PREFIX + "." + name, properties,
                                beans.getBeanProvider(SendHook.class).orderedStream().toList(),
                                TransactionCheckers.checker(name + "TransactionChecker",
                                        TransactionCheckers.log(PREFIX + "." + name, properties, beans), beans),
                                beans.getBeanProvider(ProducerCustomizer.class).orderedStream().toList())));
                registry.registerBeanDefinition(producerBean, producer);
            }
            if (!registry.containsBeanDefinition(templateBean)) {
                RootBeanDefinition template = new RootBeanDefinition(MQTemplate.class, () -> {
                    Producer producer = beans.getBean(producerBean, Producer.class);
                    MQTemplate named = new MQTemplate(producer, beans.getBean(MQPayloadConverter.class),
                            beans.getBean(MQHeaderMapper.class), SendObserverFactory.observer(beans.getBeanProvider(SendObserverFactory.class), properties,
                                    producer.group()),
                            TransactionCheckers.log(PREFIX + "." + name, properties, beans));
                    beans.getBeanProvider(RequestReplyMetrics.class).ifAvailable(named::requestMetrics);
                    return named;
                });
                registry.registerBeanDefinition(templateBean, template);
            }
        });
    }
}
