package dev.mq.spring.autoconfigure.txe2e;

import dev.mq.spring.autoconfigure.MQTemplate;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An application that writes an order and sends its event in one {@code @Transactional} method, on
 * PostgreSQL, with the transaction log on. Run by the test and, as a second instance of the same
 * producer group that dies mid-transaction, by {@link TxChild}.
 */
@SpringBootApplication
@EnableTransactionManagement
public class TxApplication {

    static final String TOPIC = "StarterTx";
    static final String GROUP = "starter-tx";

    @Bean
    DataSource dataSource(@Value("${txe2e.jdbc-url}") String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        return dataSource;
    }

    @Bean
    DataSourceTransactionManager transactionManager(DataSource dataSource) {
        return new DataSourceTransactionManager(dataSource);
    }

    @Bean
    JdbcTemplate jdbcTemplate(DataSource dataSource) {
        return new JdbcTemplate(dataSource);
    }

    /** What the order placement does after the send, before its transaction ends. */
    enum After { NOTHING, FAIL, DIE_AFTER_COMMIT }

    @Service
    public static class Orders {

        private final JdbcTemplate jdbc;
        private final MQTemplate mq;

        Orders(JdbcTemplate jdbc, MQTemplate mq) {
            this.jdbc = jdbc;
            this.mq = mq;
        }

        /** Writes the order and sends its event; returns the transaction id. */
        @Transactional
        public String place(String orderId, After after) {
            jdbc.update("INSERT INTO orders (id) VALUES (?)", orderId);
            String transactionId = mq.sendInTransaction(TOPIC, orderId).messageId();
            switch (after) {
                case FAIL -> throw new IllegalStateException("order " + orderId + " failed after the send");
                case DIE_AFTER_COMMIT -> TransactionSynchronizationManager.registerSynchronization(
                        new TransactionSynchronization() {
                            // Every afterCommit runs before any afterCompletion, where the END is
                            // sent: the process dies with the database committed and the message open.
                            @Override
                            public void afterCommit() {
                                System.out.println(TxChild.REPLY + "OK " + transactionId);
                                System.out.flush();
                                Runtime.getRuntime().halt(137);
                            }
                        });
                case NOTHING -> {
                }
            }
            return transactionId;
        }
    }
}
