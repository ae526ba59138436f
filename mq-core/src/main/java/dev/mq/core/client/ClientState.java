package dev.mq.core.client;

/** Lifecycle of a {@link MQClientInstance} (and of each producer). */
public enum ClientState {
    /** Built, not started. */
    CREATE_JUST,
    /** Started and serving. */
    RUNNING,
    /** Stopped; terminal. */
    SHUTDOWN,
    /** {@code start()} failed; terminal. */
    START_FAILED
}
