package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.internal.send.DefaultProducer;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.TransactionChecker;
import dev.mq.core.producer.TransactionState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The transaction log on a real PostgreSQL: the shipped DDL, and "embedded" leaving a real database alone. */
class PostgresTransactionLogTest {

    private static EmbeddedPostgres postgres;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MQAutoConfiguration.class, MQTransactionLogAutoConfiguration.class))
            .withBean(DataSource.class, () -> postgres.getPostgresDatabase())
            .withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders",
                    "mq.producer.transaction.log.enabled=true");

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    private static JdbcTemplate jdbc() {
        return new JdbcTemplate(postgres.getPostgresDatabase());
    }

    private static ReceivedMessage half(String transactionId, long bornTimestamp) {
        return ReceivedMessage.builder("Orders", transactionId, new MessageQueue("Orders", "broker-a", 0))
                .bornTimestamp(bornTimestamp).build();
    }

    @Test
    void embeddedModeLeavesARealDatabaseAlone() {
        runner.withPropertyValues("mq.producer.transaction.log.table=pg_embedded_mode_log").run(context -> {
            assertThat(context).hasNotFailed();
            assertThatThrownBy(() -> jdbc().queryForObject("SELECT COUNT(*) FROM pg_embedded_mode_log", Integer.class))
                    .isInstanceOf(BadSqlGrammarException.class);
        });
    }

    @Test
    void theShippedDdlCreatesASchemaQualifiedLogThatAnswersChecks() {
        jdbc().execute("CREATE SCHEMA IF NOT EXISTS billing");
        ApplicationContextRunner always = runner.withPropertyValues(
                "mq.producer.transaction.log.initialize-schema=always",
                "mq.producer.transaction.log.table=billing.tx_log");
        always.run(context -> assertThat(context).hasNotFailed());
        // A second start on the same database (another instance, a restart) finds the table there.
        always.run(context -> {
            assertThat(context).hasNotFailed();
            TransactionChecker checker = ((DefaultProducer) context.getBean(Producer.class)).config()
                    .transactionChecker();
            JdbcTransactionLog log = (JdbcTransactionLog) checker;
            log.record("TX-PG", "Orders", "orders");
            long now = System.currentTimeMillis();
            assertThat(checker.check(half("TX-PG", now))).isEqualTo(TransactionState.COMMIT);
            assertThat(checker.check(half("TX-OPEN", now))).isEqualTo(TransactionState.UNKNOWN);
            assertThat(checker.check(half("TX-GONE", now - Duration.ofMinutes(6).toMillis())))
                    .isEqualTo(TransactionState.ROLLBACK);
            assertThat(log.deleteExpired()).isZero();
        });
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM pg_indexes WHERE schemaname = 'billing' "
                + "AND indexname = 'billing_tx_log_created_at'", Integer.class)).isOne();
    }
}
