package dev.mq.spring.autoconfigure;

import dev.mq.core.Clock;
import dev.mq.core.client.ClientResources;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The transaction log on the application's DataSource, for the producers that enable it
 * ({@code mq.producer.transaction.log.enabled} or {@code mq.producers.<name>.transaction.log.enabled}).
 * Nothing is defined unless one does, spring-jdbc is on the classpath and there is one DataSource; a
 * producer that enables the log without them fails start-up naming the property.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({JdbcTemplate.class, EmbeddedDatabaseConnection.class})
@Conditional(MQTransactionLogAutoConfiguration.OnTransactionLogEnabled.class)
@ConditionalOnSingleCandidate(DataSource.class)
public final class MQTransactionLogAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(TransactionLog.Factory.class)
    JdbcTransactionLogs mqTransactionLogs(DataSource dataSource, ObjectProvider<ClientResources> resources) {
        ClientResources clientResources = resources.getIfAvailable();
        return new JdbcTransactionLogs(dataSource, clientResources == null ? Clock.system() : clientResources.clock());
    }

    /** Matches when the default producer or any named producer enables the transaction log. */
    static final class OnTransactionLogEnabled extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Binder binder = Binder.get(context.getEnvironment());
            if (binder.bind("mq.producer.transaction.log.enabled", Boolean.class).orElse(false)) {
                return ConditionOutcome.match("mq.producer.transaction.log.enabled is true");
            }
            Map<String, ProducerProperties> producers = binder
                    .bind(NamedProducersRegistrar.PREFIX, Bindable.mapOf(String.class, ProducerProperties.class))
                    .orElse(Map.of());
            for (Map.Entry<String, ProducerProperties> producer : producers.entrySet()) {
                if (producer.getValue().getTransaction().getLog().isEnabled()) {
                    return ConditionOutcome.match(NamedProducersRegistrar.PREFIX + "." + producer.getKey()
                            + ".transaction.log.enabled is true");
                }
            }
            return ConditionOutcome.noMatch("no producer enables its transaction log");
        }
    }
}
