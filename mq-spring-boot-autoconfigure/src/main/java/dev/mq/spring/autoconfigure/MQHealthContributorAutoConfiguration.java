package dev.mq.spring.autoconfigure;

import dev.mq.core.client.MQClientInstance;
import dev.mq.spring.listener.MQListenerRegistry;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code mq} health indicator; {@code management.health.mq.enabled=false} switches it off. */
@AutoConfiguration(after = {MQAutoConfiguration.class, MQListenerAutoConfiguration.class})
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class, MQClientInstance.class})
@ConditionalOnBean(MQClientInstance.class)
@ConditionalOnEnabledHealthIndicator("mq")
public final class MQHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = {"mqHealthIndicator", "mqHealthContributor"})
    MQHealthIndicator mqHealthIndicator(MQClientInstance client, ObjectProvider<MQListenerRegistry> listeners,
                                        MQProperties properties) {
        return new MQHealthIndicator(client, Duration.ofSeconds(3), listeners.getIfAvailable(),
                properties.getConsumer().getHealthLagThreshold());
    }
}
