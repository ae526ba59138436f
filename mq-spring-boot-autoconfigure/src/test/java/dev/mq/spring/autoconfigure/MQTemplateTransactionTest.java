package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.Clock;
import dev.mq.core.MQException;
import dev.mq.core.producer.TransactionResult;
import dev.mq.core.producer.TransactionState;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Transactional sends through the template: with a local transaction, and bound to a Spring transaction. */
class MQTemplateTransactionTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final RecordingProducer producer = new RecordingProducer();
    private final JdbcDataSource dataSource = new JdbcDataSource();
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    record Order(String id, int amount) {
    }

    MQTemplateTransactionTest() {
        dataSource.setURL("jdbc:h2:mem:template-tx-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE orders (id VARCHAR(32) PRIMARY KEY)");
        jdbc.execute("CREATE TABLE mq_transaction_log (transaction_id VARCHAR(128) PRIMARY KEY, topic VARCHAR(255), "
                + "producer_group VARCHAR(255), created_at BIGINT)");
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    private MQTemplate template() {
        return new MQTemplate(producer, new JacksonPayloadConverter(JsonMapper.shared()));
    }

    private MQTemplate loggingTemplate() {
        return new MQTemplate(producer, new JacksonPayloadConverter(JsonMapper.shared()), new DefaultMQHeaderMapper(),
                SendObserver.NONE, new JdbcTransactionLog(jdbc, "mq_transaction_log", Duration.ofMinutes(5),
                        Duration.ofDays(1), Clock.system()));
    }

    private int rows(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }

    @Test
    void theLocalTransactionRunsBetweenTheHalfMessageAndItsEnd() {
        AtomicReference<String> seen = new AtomicReference<>();
        TransactionResult result = template().sendInTransaction("Orders:created", new Order("o-1", 5), half -> {
            seen.set(half.messageId());
            assertThat(producer.transactions).hasSize(1);
            assertThat(producer.transactions.get(0).state()).isEqualTo(TransactionState.UNKNOWN);
            return TransactionState.COMMIT;
        });
        assertThat(result.state()).isEqualTo(TransactionState.COMMIT);
        assertThat(result.transactionId()).isEqualTo(seen.get()).isEqualTo(producer.transactions.get(0).transactionId());
        RecordingProducer.RecordedTransaction tx = producer.transactions.get(0);
        assertThat(tx.state()).isEqualTo(TransactionState.COMMIT);
        assertThat(tx.message.topic()).isEqualTo("Orders");
        assertThat(tx.message.tags()).isEqualTo("created");
        assertThat(new String(tx.message.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"o-1\",\"amount\":5}");
        assertThat(tx.message.properties()).containsEntry("contentType", "application/json");
    }

    @Test
    void aSpringMessagesHeadersAreMappedAsForOtherSends() {
        template().sendInTransaction("Orders", MessageBuilder.withPayload("x").setHeader(MQTemplate.KEYS, "k1 k2")
                .setHeader("tenant", "acme").build(), half -> TransactionState.ROLLBACK);
        RecordingProducer.RecordedTransaction tx = producer.transactions.get(0);
        assertThat(tx.message.keys()).containsExactly("k1", "k2");
        assertThat(tx.message.properties()).containsEntry("tenant", "acme");
        assertThat(tx.state()).isEqualTo(TransactionState.ROLLBACK);
    }

    @Test
    void badInputIsValidationBeforeAnySend() {
        assertThatThrownBy(() -> template().sendInTransaction("Orders", "x", null))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION))
                .hasMessageContaining("local transaction");
        assertThatThrownBy(() -> template().sendInTransaction("Orders:", "x", half -> TransactionState.COMMIT))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        assertThatThrownBy(() -> template().sendInTransaction("Orders", null, half -> TransactionState.COMMIT))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        assertThatThrownBy(() -> template().sendInTransaction("Orders", List.of("a", "b"),
                half -> TransactionState.COMMIT))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION))
                .hasMessageContaining("cannot be a batch");
        assertThat(producer.transactions).isEmpty();
    }

    @Test
    void outsideASpringTransactionTheBoundSendIsValidation() {
        assertThatThrownBy(() -> template().sendInTransaction("Orders", "x"))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION))
                .hasMessageContaining("active Spring transaction");
        assertThat(producer.transactions).isEmpty();
    }

    @Test
    void theBoundSendCommitsOnlyAfterTheSpringTransactionCommits() {
        AtomicReference<TransactionState> atSend = new AtomicReference<>();
        String id = transactions.execute(status -> {
            String txId = template().sendInTransaction("Orders", "x").messageId();
            atSend.set(producer.transactions.get(0).state());
            return txId;
        });
        assertThat(atSend.get()).as("nothing is ended before the commit").isEqualTo(TransactionState.UNKNOWN);
        assertThat(producer.transactions).singleElement().satisfies(tx -> {
            assertThat(tx.transactionId()).isEqualTo(id);
            assertThat(tx.state()).isEqualTo(TransactionState.COMMIT);
        });
    }

    @Test
    void theBoundSendRollsBackWithTheSpringTransaction() {
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            template().sendInTransaction("Orders", "x");
            throw new IllegalStateException("business failure after the send");
        })).hasMessage("business failure after the send");
        transactions.executeWithoutResult(status -> {
            template().sendInTransaction("Orders", "y");
            status.setRollbackOnly();
        });
        assertThat(producer.transactions).extracting(RecordingProducer.RecordedTransaction::state)
                .containsExactly(TransactionState.ROLLBACK, TransactionState.ROLLBACK);
    }

    @Test
    void aHalfMessageThatFailsThrowsSoTheBusinessTransactionRollsBack() {
        producer.failNextHalf = new MQException(MQException.Reason.NO_ROUTE, "no route to Orders");
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO orders (id) VALUES ('o-1')");
            template().sendInTransaction("Orders", "x");
        })).isInstanceOfSatisfying(MQException.class,
                e -> assertThat(e.reason()).isEqualTo(MQException.Reason.NO_ROUTE));
        assertThat(rows("SELECT COUNT(*) FROM orders")).isZero();
        assertThat(producer.transactions).isEmpty();
    }

    @Test
    void theLogRowIsWrittenInTheSameDatabaseTransaction() {
        String committed = transactions.execute(status -> {
            jdbc.update("INSERT INTO orders (id) VALUES ('o-1')");
            return loggingTemplate().sendInTransaction("Orders", "x").messageId();
        });
        assertThat(rows("SELECT COUNT(*) FROM mq_transaction_log WHERE transaction_id = ? AND topic = 'Orders' "
                + "AND producer_group = 'recording'", committed)).isOne();

        AtomicReference<String> rolledBack = new AtomicReference<>();
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO orders (id) VALUES ('o-2')");
            rolledBack.set(loggingTemplate().sendInTransaction("Orders", "y").messageId());
            throw new IllegalStateException("after the send");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(rows("SELECT COUNT(*) FROM mq_transaction_log WHERE transaction_id = ?", rolledBack.get())).isZero();
        assertThat(rows("SELECT COUNT(*) FROM orders")).isOne();
        assertThat(producer.transactions).extracting(RecordingProducer.RecordedTransaction::state)
                .containsExactly(TransactionState.COMMIT, TransactionState.ROLLBACK);
    }

    @Test
    void aLogWriteThatFailsRollsTheMessageBack() {
        jdbc.execute("DROP TABLE mq_transaction_log");
        assertThatThrownBy(() -> transactions.executeWithoutResult(status ->
                loggingTemplate().sendInTransaction("Orders", "x"))).isNotInstanceOf(MQException.class);
        assertThat(producer.transactions).singleElement()
                .satisfies(tx -> assertThat(tx.state()).isEqualTo(TransactionState.ROLLBACK));
    }

    @Test
    void theObservationOfABoundSendEndsWhenTheEndIsWritten() {
        List<String> events = new CopyOnWriteArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                events.add("start " + context.getLowCardinalityKeyValue("mq.mode").getValue());
            }

            @Override
            public void onStop(Observation.Context context) {
                events.add("stop");
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        MQTemplate observed = new MQTemplate(producer, new JacksonPayloadConverter(JsonMapper.shared()),
                new DefaultMQHeaderMapper(), new ObservationSendObserver(registry, "g"));
        transactions.executeWithoutResult(status -> {
            observed.sendInTransaction("Orders", "x");
            assertThat(events).as("open until the transaction ends").containsExactly("start transaction");
        });
        assertThat(events).containsExactly("start transaction", "stop");
    }
}
