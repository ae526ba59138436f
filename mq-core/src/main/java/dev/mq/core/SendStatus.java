package dev.mq.core;

/**
 * How the broker stored a message. Every status means the message <em>was</em> stored; the
 * non-OK ones say that a durability step the broker was configured to wait for did not finish in
 * time (RocketMQ response codes 10, 11 and 12).
 */
public enum SendStatus {
    /** Stored and, where configured, flushed and replicated. */
    SEND_OK,
    /** Stored, but the synchronous disk flush timed out. */
    FLUSH_DISK_TIMEOUT,
    /** Stored, but replication to the slave timed out. */
    FLUSH_SLAVE_TIMEOUT,
    /** Stored on a synchronous-replication master that has no slave. */
    SLAVE_NOT_AVAILABLE
}
