package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.Clock;
import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.internal.send.DefaultProducer;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.TransactionChecker;
import dev.mq.core.producer.TransactionState;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The transaction log's auto-configuration on H2: conditions, schema initialisation, the checker's answers. */
class MQTransactionLogAutoConfigurationTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MQAutoConfiguration.class, MQTransactionLogAutoConfiguration.class))
            .withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders");

    private static ApplicationContextRunner withH2(ApplicationContextRunner runner) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:txlog-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        return runner.withBean(DataSource.class, () -> dataSource);
    }

    private static TransactionChecker checkerOf(AssertableApplicationContext context, String producerBean) {
        return ((DefaultProducer) context.getBean(producerBean, Producer.class)).config().transactionChecker();
    }

    private static ReceivedMessage half(String transactionId, long bornTimestamp) {
        return ReceivedMessage.builder("Orders", transactionId, new MessageQueue("Orders", "broker-a", 0))
                .bornTimestamp(bornTimestamp).build();
    }

    private static JdbcTemplate jdbc(AssertableApplicationContext context) {
        return new JdbcTemplate(context.getBean(DataSource.class));
    }

    @Test
    void withoutThePropertyNothingChanges() {
        withH2(runner).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(TransactionLog.Factory.class);
            assertThat(checkerOf(context, MQAutoConfiguration.PRODUCER_BEAN)).isNull();
            assertThatThrownBy(() -> jdbc(context).queryForObject("SELECT COUNT(*) FROM mq_transaction_log",
                    Integer.class)).isInstanceOf(BadSqlGrammarException.class);
        });
    }

    @Test
    void enabledWithoutADataSourceFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("mq.producer.transaction.log.enabled=true").run(context ->
                assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("mq.producer.transaction.log.enabled"));
    }

    @Test
    void enabledWithoutSpringJdbcFailsStartUpNamingTheProperty() {
        withH2(runner).withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
                .withPropertyValues("mq.producer.transaction.log.enabled=true").run(context ->
                        assertThat(context).getFailure().rootCause()
                                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                                .hasMessageContaining("mq.producer.transaction.log.enabled")
                                .hasMessageContaining("spring-jdbc"));
    }

    @Test
    void onAnEmbeddedDatabaseTheTableIsCreatedAndTheCheckerAnswersFromIt() {
        withH2(runner).withPropertyValues("mq.producer.transaction.log.enabled=true",
                "mq.producer.transaction.log.grace-period=2m").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(TransactionLog.Factory.class);
            TransactionChecker checker = checkerOf(context, MQAutoConfiguration.PRODUCER_BEAN);
            assertThat(checker).isNotNull();
            jdbc(context).update("INSERT INTO mq_transaction_log (transaction_id, topic, producer_group, created_at) "
                    + "VALUES ('TX-COMMITTED', 'Orders', 'orders', 0)");
            long now = System.currentTimeMillis();
            // A row: its database transaction committed, whatever the age.
            assertThat(checker.check(half("TX-COMMITTED", now))).isEqualTo(TransactionState.COMMIT);
            // No row, younger than the grace period: its database transaction may still be running.
            assertThat(checker.check(half("TX-OPEN", now - Duration.ofSeconds(90).toMillis())))
                    .isEqualTo(TransactionState.UNKNOWN);
            // No row, older than the grace period: it rolled back (or never wrote one).
            assertThat(checker.check(half("TX-GONE", now - Duration.ofMinutes(3).toMillis())))
                    .isEqualTo(TransactionState.ROLLBACK);
            // Age unknown: never rolled back from here.
            assertThat(checker.check(half("TX-AGELESS", 0))).isEqualTo(TransactionState.UNKNOWN);
            // The template records into the same log.
            assertThat(context.getBean(MQTemplate.class)).isNotNull();
        });
    }

    @Test
    void initializeSchemaNeverLeavesTheTableToTheApplication() {
        withH2(runner).withPropertyValues("mq.producer.transaction.log.enabled=true",
                "mq.producer.transaction.log.initialize-schema=never").run(context -> {
            assertThat(context).hasNotFailed();
            assertThatThrownBy(() -> jdbc(context).queryForObject("SELECT COUNT(*) FROM mq_transaction_log",
                    Integer.class)).isInstanceOf(BadSqlGrammarException.class);
        });
    }

    @Test
    void initializeSchemaAlwaysCreatesTheConfiguredTableOnce() {
        withH2(runner).withPropertyValues("mq.producer.transaction.log.enabled=true",
                "mq.producer.transaction.log.initialize-schema=always",
                "mq.producer.transaction.log.table=orders_tx_log").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(jdbc(context).queryForObject("SELECT COUNT(*) FROM orders_tx_log", Integer.class)).isZero();
            // Idempotent: a second instance starting on the same database creates nothing twice.
            ProducerProperties.Transaction.Log again = new ProducerProperties.Transaction.Log();
            again.setTable("orders_tx_log");
            again.setInitializeSchema(ProducerProperties.Transaction.InitializeSchema.ALWAYS);
            new JdbcTransactionLogs(context.getBean(DataSource.class), Clock.system()).create("other", again);
        });
    }

    @Test
    void aTableNameThatIsNotOneFailsStartUp() {
        withH2(runner).withPropertyValues("mq.producer.transaction.log.enabled=true",
                "mq.producer.transaction.log.table=log; DROP TABLE orders").run(context ->
                assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("mq.producer.transaction.log.table"));
    }

    @Test
    void aRetentionNotLongerThanTheGracePeriodFailsStartUp() {
        withH2(runner).withPropertyValues("mq.producer.transaction.log.enabled=true",
                "mq.producer.transaction.log.grace-period=10m", "mq.producer.transaction.log.retention=5m")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("mq.producer.transaction.log.retention"));
    }

    @Test
    void everyNamedProducerCanBeTransactionalWithItsOwnLogOrChecker() {
        TransactionChecker auditChecker = half -> TransactionState.COMMIT;
        withH2(runner).withPropertyValues("mq.producers.billing.group=billing",
                        "mq.producers.billing.transaction.log.enabled=true",
                        "mq.producers.billing.transaction.log.table=billing_tx_log",
                        "mq.producers.audit.group=audit")
                .withBean("auditTransactionChecker", TransactionChecker.class, () -> auditChecker)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(checkerOf(context, MQAutoConfiguration.PRODUCER_BEAN)).isNull();
                    assertThat(checkerOf(context, "auditProducer")).isSameAs(auditChecker);
                    TransactionChecker billing = checkerOf(context, "billingProducer");
                    assertThat(billing).isInstanceOf(JdbcTransactionLog.class);
                    jdbc(context).update("INSERT INTO billing_tx_log VALUES ('TX-B', 'Bills', 'billing', 0)");
                    assertThat(billing.check(half("TX-B", System.currentTimeMillis())))
                            .isEqualTo(TransactionState.COMMIT);
                });
    }

    @Test
    void theApplicationsCheckerReplacesTheLogs() {
        TransactionChecker mine = half -> TransactionState.ROLLBACK;
        withH2(runner).withPropertyValues("mq.producer.transaction.log.enabled=true")
                .withBean(MQAutoConfiguration.TRANSACTION_CHECKER_BEAN, TransactionChecker.class, () -> mine)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(checkerOf(context, MQAutoConfiguration.PRODUCER_BEAN)).isSameAs(mine);
                    // The log is still written: the application's checker may read it.
                    assertThat(jdbc(context).queryForObject("SELECT COUNT(*) FROM mq_transaction_log",
                            Integer.class)).isZero();
                });
    }

    @Test
    void rowsOlderThanTheRetentionAreDeleted() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:txlog-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        AtomicLong now = new AtomicLong(Duration.ofDays(30).toMillis());
        Clock clock = new Clock() {
            @Override
            public long nanoTime() {
                return now.get() * 1_000_000;
            }

            @Override
            public long millis() {
                return now.get();
            }
        };
        ProducerProperties.Transaction.Log properties = new ProducerProperties.Transaction.Log();
        properties.setRetention(Duration.ofDays(7));
        JdbcTransactionLog log = (JdbcTransactionLog) new JdbcTransactionLogs(dataSource, clock)
                .create("mq.producer", properties);
        log.record("TX-OLD", "Orders", "orders");
        now.addAndGet(Duration.ofDays(6).toMillis());
        log.record("TX-NEW", "Orders", "orders");
        assertThat(log.deleteExpired()).isZero();
        now.addAndGet(Duration.ofDays(1).toMillis() + 1);
        assertThat(log.deleteExpired()).isOne();
        assertThat(jdbc.queryForList("SELECT transaction_id FROM mq_transaction_log", String.class))
                .containsExactly("TX-NEW");
        // The checker no longer finds the deleted row: retention must outlast the broker's checks.
        assertThat(log.check(half("TX-OLD", now.get()))).isEqualTo(TransactionState.UNKNOWN);
    }
}
