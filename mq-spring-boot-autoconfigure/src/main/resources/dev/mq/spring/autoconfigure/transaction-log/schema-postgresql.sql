-- Transaction log of the mq Spring Boot starter (PostgreSQL). ${table} and ${index} are replaced by the
-- configured table name and an index name derived from it; created_at is epoch milliseconds.
CREATE TABLE IF NOT EXISTS ${table} (
    transaction_id VARCHAR(128) NOT NULL PRIMARY KEY,
    topic          VARCHAR(255) NOT NULL,
    producer_group VARCHAR(255) NOT NULL,
    created_at     BIGINT       NOT NULL
);
CREATE INDEX IF NOT EXISTS ${index} ON ${table} (created_at);
