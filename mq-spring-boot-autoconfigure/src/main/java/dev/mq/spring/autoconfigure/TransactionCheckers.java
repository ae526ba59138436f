package dev.mq.spring.autoconfigure;

import dev.mq.core.producer.TransactionChecker;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Which transaction log and which checker a producer gets: the application's
 * {@link TransactionChecker} bean named for the producer ({@value MQAutoConfiguration#TRANSACTION_CHECKER_BEAN}
 * for the default one, {@code <name>TransactionChecker} for {@code mq.producers.<name>}) if there is
 * one, else the checker of its transaction log if it enables one, else none.
 */
final class TransactionCheckers {

    private TransactionCheckers() {
    }

    /** The producer's transaction log, or null if it does not enable one. */
    static @Nullable TransactionLog log(String prefix, ProducerProperties properties, ListableBeanFactory beans) {
        ProducerProperties.Transaction.Log log = properties.getTransaction().getLog();
        if (!log.isEnabled()) {
            return null;
        }
        TransactionLog.Factory factory = beans.getBeanProvider(TransactionLog.Factory.class).getIfAvailable();
        if (factory == null) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".transaction.log.enabled", true,
                    "The transaction log needs spring-jdbc on the classpath and one DataSource bean.");
        }
        return factory.create(prefix, log);
    }

    /** The checker of the producer whose user checker bean would be {@code checkerBean}, or null. */
    static @Nullable TransactionChecker checker(String checkerBean, @Nullable TransactionLog log,
                                                ListableBeanFactory beans) {
        if (beans.containsBean(checkerBean)) {
            return beans.getBean(checkerBean, TransactionChecker.class);
        }
        return log == null ? null : log.checker();
    }
}
