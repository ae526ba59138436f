package dev.mq.core.consumer;

/**
 * The lifecycle of a {@link PushConsumer}: {@code CREATED -> RUNNING -> STOPPED -> RUNNING -> ... -> CLOSED}.
 * A stopped consumer may be started again; a closed one may not.
 */
public enum ConsumerState {
    /** Created, never started. */
    CREATED,
    /** Member of its group, pulling and handling messages (unless paused). */
    RUNNING,
    /** Stopping: no new pulls, in-flight handlers finishing, offsets being committed. */
    STOPPING,
    /** Stopped: out of the group, offsets committed; {@code start()} joins again. */
    STOPPED,
    /** Closed for good and detached from its client. */
    CLOSED
}
