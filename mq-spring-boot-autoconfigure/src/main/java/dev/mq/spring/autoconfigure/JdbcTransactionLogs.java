package dev.mq.spring.autoconfigure;

import dev.mq.core.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * Creates the {@link JdbcTransactionLog} of each producer that enables one, on the application's
 * DataSource: checks the properties, creates the table as {@code initialize-schema} says, and deletes
 * expired rows every {@code cleanup-interval} on one daemon thread shared by all logs.
 */
final class JdbcTransactionLogs implements TransactionLog.Factory, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JdbcTransactionLogs.class);

    /** A table name, optionally schema-qualified: it is written into SQL, so nothing else passes. */
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private static final String DDL = "dev/mq/spring/autoconfigure/transaction-log/schema-%s.sql";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Map<String, JdbcTransactionLog> logs = new ConcurrentHashMap<>();
    private @Nullable ScheduledExecutorService cleanup;

    JdbcTransactionLogs(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    @Override
    public TransactionLog create(String prefix, ProducerProperties.Transaction.Log properties) {
        return logs.computeIfAbsent(prefix, p -> newLog(p + ".transaction.log", properties));
    }

    private JdbcTransactionLog newLog(String prefix, ProducerProperties.Transaction.Log properties) {
        String table = properties.getTable();
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".table", table,
                    "A table name is letters, digits and '_', optionally prefixed by a schema and '.'.");
        }
        Duration grace = positive(prefix + ".grace-period", properties.getGracePeriod());
        Duration retention = positive(prefix + ".retention", properties.getRetention());
        Duration interval = positive(prefix + ".cleanup-interval", properties.getCleanupInterval());
        if (retention.compareTo(grace) <= 0) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".retention", retention,
                    "Rows must be kept longer than the grace period (" + grace + "), or a committed "
                            + "transaction whose row is gone would be rolled back.");
        }
        if (shouldInitialize(properties.getInitializeSchema())) {
            initialize(prefix, table, properties.getInitializeSchema());
        }
        JdbcTransactionLog transactionLog = new JdbcTransactionLog(jdbc, table, grace, retention, clock);
        scheduler().scheduleWithFixedDelay(() -> deleteExpired(table, transactionLog), interval.toMillis(),
                interval.toMillis(), TimeUnit.MILLISECONDS);
        return transactionLog;
    }

    private static Duration positive(String property, @Nullable Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidConfigurationPropertyValueException(property, value, "It must be positive.");
        }
        return value;
    }

    private boolean shouldInitialize(ProducerProperties.Transaction.@Nullable InitializeSchema mode) {
        if (mode == null || mode == ProducerProperties.Transaction.InitializeSchema.EMBEDDED) {
            return EmbeddedDatabaseConnection.isEmbedded(dataSource);
        }
        return mode == ProducerProperties.Transaction.InitializeSchema.ALWAYS;
    }

    /**
     * Runs the shipped DDL of this database for {@code table}; every statement is "if not exists". The
     * script names the table and its index as placeholders; Spring's script runner does the rest
     * (comments, statement separators).
     */
    private void initialize(String prefix, String table, ProducerProperties.Transaction.@Nullable InitializeSchema mode) {
        ClassPathResource ddl = new ClassPathResource(String.format(DDL, database(prefix, mode)));
        String script;
        try {
            script = ddl.getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the shipped DDL " + ddl, e);
        }
        String named = script.replace("${table}", table).replace("${index}", table.replace('.', '_') + "_created_at");
        new ResourceDatabasePopulator(new ByteArrayResource(named.getBytes(StandardCharsets.UTF_8), ddl.getPath()))
                .execute(dataSource);
    }

    /** The name of the shipped DDL for the DataSource's database. */
    private String database(String prefix, ProducerProperties.Transaction.@Nullable InitializeSchema mode) {
        String product;
        try {
            product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the database's product name to create the transaction log", e);
        }
        String name = product.toLowerCase(Locale.ROOT);
        if (name.contains("h2")) {
            return "h2";
        }
        if (name.contains("postgres")) {
            return "postgresql";
        }
        if (name.contains("mysql") || name.contains("mariadb")) {
            return "mysql";
        }
        throw new InvalidConfigurationPropertyValueException(prefix + ".initialize-schema", mode,
                "No DDL is shipped for " + product + " (only H2, PostgreSQL and MySQL/MariaDB): create the "
                        + "table from one of dev/mq/spring/autoconfigure/transaction-log/schema-*.sql and set "
                        + "it to never.");
    }

    private void deleteExpired(String table, JdbcTransactionLog transactionLog) {
        try {
            int deleted = transactionLog.deleteExpired();
            if (deleted > 0) {
                log.debug("Deleted {} expired rows from transaction log {}", deleted, table);
            }
        } catch (RuntimeException e) {
            log.warn("Could not delete expired rows from transaction log {} (tried again next interval)", table, e);
        }
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (cleanup == null) {
            cleanup = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "mq-transaction-log-cleanup");
                thread.setDaemon(true);
                return thread;
            });
        }
        return cleanup;
    }

    @Override
    public synchronized void destroy() {
        if (cleanup != null) {
            cleanup.shutdownNow();
        }
    }
}
