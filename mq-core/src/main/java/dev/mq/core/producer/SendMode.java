package dev.mq.core.producer;

/** How a send was asked for. */
public enum SendMode {
    /** The caller waits for the broker's answer. */
    SYNC,
    /** The caller gets a future. */
    ASYNC,
    /** The caller wants no answer; the broker sends none. */
    ONEWAY
}
