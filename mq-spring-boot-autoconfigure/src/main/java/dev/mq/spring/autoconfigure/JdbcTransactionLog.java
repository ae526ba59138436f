package dev.mq.spring.autoconfigure;

import dev.mq.core.Clock;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.producer.TransactionChecker;
import dev.mq.core.producer.TransactionState;
import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A {@link TransactionLog} in a table of the application's database. {@link #record} runs through
 * {@link JdbcTemplate}, which joins the database transaction bound to the calling thread (a
 * {@code DataSourceTransactionManager} or JPA transaction on the same DataSource), so the row commits
 * exactly when the application's data does. Any instance of the group can answer any check: the table
 * is the state they share.
 */
final class JdbcTransactionLog implements TransactionLog, TransactionChecker {

    private final JdbcTemplate jdbc;
    private final String insert;
    private final String select;
    private final String delete;
    private final Duration gracePeriod;
    private final Duration retention;
    private final Clock clock;

    /**
     * @param table       a checked table name (it is written into the SQL)
     * @param gracePeriod how old a half message without a row must be to be rolled back
     * @param retention   how long rows are kept by {@link #deleteExpired()}
     * @param clock       the source of "now" for row times and ages
     */
    JdbcTransactionLog(JdbcTemplate jdbc, String table, Duration gracePeriod, Duration retention, Clock clock) {
        this.jdbc = jdbc;
        this.insert = "INSERT INTO " + table + " (transaction_id, topic, producer_group, created_at) VALUES (?, ?, ?, ?)";
        this.select = "SELECT COUNT(*) FROM " + table + " WHERE transaction_id = ?";
        this.delete = "DELETE FROM " + table + " WHERE created_at < ?";
        this.gracePeriod = gracePeriod;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public void record(String transactionId, String topic, String producerGroup) {
        jdbc.update(insert, transactionId, topic, producerGroup, clock.millis());
    }

    @Override
    public TransactionChecker checker() {
        return this;
    }

    /**
     * A row: the database transaction committed, COMMIT. No row: it rolled back, or has not committed
     * yet — ROLLBACK only once the half message is older than the grace period, UNKNOWN before (the
     * broker asks again). A half message of unknown age is never rolled back from here.
     */
    @Override
    public TransactionState check(ReceivedMessage half) {
        Integer rows = jdbc.queryForObject(select, Integer.class, half.messageId());
        if (rows != null && rows > 0) {
            return TransactionState.COMMIT;
        }
        long born = half.bornTimestamp() > 0 ? half.bornTimestamp() : half.storeTimestamp();
        if (born > 0 && clock.millis() - born >= gracePeriod.toMillis()) {
            return TransactionState.ROLLBACK;
        }
        return TransactionState.UNKNOWN;
    }

    /** Deletes the rows older than the retention; returns how many. */
    int deleteExpired() {
        return jdbc.update(delete, clock.millis() - retention.toMillis());
    }
}
