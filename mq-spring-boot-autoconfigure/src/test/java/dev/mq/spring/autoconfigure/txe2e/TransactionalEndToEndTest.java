package dev.mq.spring.autoconfigure.txe2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.producer.Producer;
import dev.mq.core.producer.TransactionState;
import dev.mq.test.ChildJvm;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.OfficialConsumer;
import dev.mq.test.StoredMessage;
import dev.mq.test.WithEmbeddedRocketMQ;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A {@code @Transactional} service that writes a row and sends, on a real PostgreSQL and the embedded
 * broker, Apache's consumer reading back: commit gives the row and the message, an exception after the
 * send neither, and a process that dies between the database commit and the END still delivers — the
 * broker's check-back reaches this instance, whose transaction log finds the row.
 */
@WithEmbeddedRocketMQ(topics = TxApplication.TOPIC, brokerProperties = {
    "transactionTimeOut=1000", "transactionCheckInterval=1000", "transactionCheckMax=60",
    "transactionOpBatchInterval=100"
})
@SpringBootTest(classes = TxApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
    "mq.producer.group=" + TxApplication.GROUP,
    "mq.producer.transaction.log.enabled=true",
    "mq.producer.transaction.log.initialize-schema=always"
})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransactionalEndToEndTest {

    private static final Duration READ = Duration.ofSeconds(60);
    private static EmbeddedPostgres postgres;

    @Autowired
    TxApplication.Orders orders;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Producer producer;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE TABLE orders (id VARCHAR(64) PRIMARY KEY)");
        registry.add("txe2e.jdbc-url", TransactionalEndToEndTest::jdbcUrl);
    }

    private static String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    private int orderRows(String id) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE id = ?", Integer.class, id);
    }

    private int logRows(String transactionId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM mq_transaction_log WHERE transaction_id = ?", Integer.class,
                transactionId);
    }

    private static Set<String> ids(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::getMsgId).collect(Collectors.toSet());
    }

    private static List<StoredMessage> readUntilPresent(EmbeddedRocketMQ mq, String transactionId) {
        return OfficialConsumer.readUntil(mq.nameServerAddress(), TxApplication.TOPIC,
                read -> ids(read).contains(transactionId), READ);
    }

    @Test
    @Order(1)
    void aCommittedTransactionGivesTheRowAndTheMessage(EmbeddedRocketMQ mq) {
        String transactionId = orders.place("order-1", TxApplication.After.NOTHING);
        assertThat(orderRows("order-1")).isOne();
        assertThat(logRows(transactionId)).isOne();
        List<StoredMessage> read = readUntilPresent(mq, transactionId);
        // At least once: a check that overtakes the broker's record of the end stores it again (reliability.md).
        assertThat(read).filteredOn(m -> m.getMsgId().equals(transactionId)).isNotEmpty()
                .allSatisfy(m -> assertThat(new String(m.getBody(), StandardCharsets.UTF_8)).isEqualTo("order-1"));
        assertThat(producer.stats().transactions(TransactionState.COMMIT)).isEqualTo(1);
    }

    @Test
    @Order(2)
    void anExceptionAfterTheSendGivesNeither(EmbeddedRocketMQ mq) {
        long rollbacks = producer.stats().transactions(TransactionState.ROLLBACK);
        String[] transactionId = new String[1];
        assertThatThrownBy(() -> orders.place("order-2", TxApplication.After.FAIL))
                .isInstanceOf(IllegalStateException.class);
        assertThat(orderRows("order-2")).isZero();
        assertThat(producer.stats().transactions(TransactionState.ROLLBACK)).isEqualTo(rollbacks + 1);
        // A message committed after it is read; the rolled-back one is not among what precedes it.
        String marker = orders.place("order-2-marker", TxApplication.After.NOTHING);
        List<StoredMessage> read = readUntilPresent(mq, marker);
        assertThat(read).extracting(m -> new String(m.getBody(), StandardCharsets.UTF_8))
                .contains("order-2-marker").doesNotContain("order-2");
    }

    @Test
    @Order(3)
    void aProcessThatDiesAfterTheCommitStillDeliversThroughTheCheckBack(EmbeddedRocketMQ mq)
            throws IOException, InterruptedException {
        long commitsAnswered = producer.stats().transactionChecks(TransactionState.COMMIT);
        Path log = Files.createTempDirectory("tx-child").resolve("child.log");
        String transactionId;
        try (ChildJvm child = ChildJvm.builder("tx-child", TxChild.class.getName())
                .classpath(System.getProperty("java.class.path")).replyPrefix(TxChild.REPLY).log(log)
                .arguments(List.of(mq.nameServerAddress(), jdbcUrl())).start()) {
            child.awaitReady(Duration.ofSeconds(90));
            transactionId = child.call("DIE order-3", Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20); // polls the exit, bounded by the deadline
            }
            assertThat(child.isAlive()).as("the child halted in afterCommit").isFalse();
        }
        // The database committed; the END never left.
        assertThat(orderRows("order-3")).isOne();
        assertThat(logRows(transactionId)).isOne();
        List<StoredMessage> read = readUntilPresent(mq, transactionId);
        assertThat(ids(read)).contains(transactionId);
        assertThat(producer.stats().transactionChecks(TransactionState.COMMIT)).isGreaterThan(commitsAnswered);
    }
}
