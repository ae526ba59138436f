package dev.mq.spring.autoconfigure;

import dev.mq.core.producer.TransactionChecker;

/**
 * One producer's transaction log: the ids of transactional messages whose local (database)
 * transaction committed, written inside that transaction, so the log answers the broker's check-backs
 * from the state every instance of the group shares. Free of JDBC types, so that templates and
 * producers work without spring-jdbc on the classpath.
 */
interface TransactionLog {

    /** Records {@code transactionId} within the calling thread's database transaction. */
    void record(String transactionId, String topic, String producerGroup);

    /** The checker that answers from this log. */
    TransactionChecker checker();

    /** Creates the log of each producer that enables one; provided when spring-jdbc and a DataSource are there. */
    @FunctionalInterface
    interface Factory {

        /**
         * The log configured by {@code properties} under {@code prefix} ({@code mq.producer} or
         * {@code mq.producers.<name>}); the same instance for the same prefix.
         */
        TransactionLog create(String prefix, ProducerProperties.Transaction.Log properties);
    }
}
