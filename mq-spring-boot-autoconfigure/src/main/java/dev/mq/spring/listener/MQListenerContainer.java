package dev.mq.spring.listener;

import dev.mq.core.consumer.PushConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The consumer behind one {@link MQListener} method. Get it from the {@link MQListenerRegistry}.
 * A stopped container may be started again: it re-joins its group and resumes from the offsets it
 * committed when it stopped.
 */
public interface MQListenerContainer {

    /** The id: {@link MQListener#id()}, by default the group. */
    String id();

    /** The consumer group. */
    String group();

    /** The subscribed topic. */
    String topic();

    /** The listener method, as {@code Class.method(ParameterTypes)}. */
    String listenerMethod();

    /** Whether it starts with the application context. */
    boolean isAutoStartup();

    /**
     * Joins the group and starts consuming; does nothing if running. A failure is kept
     * ({@link #failure()}) and thrown.
     */
    void start();

    /**
     * Leaves the group: stops pulling, waits for running handlers (up to the shutdown timeout) and
     * commits exact offsets. Does nothing unless running.
     */
    void stop();

    /** Stops pulling without leaving the group; running handlers finish, offsets are committed. */
    void pause();

    /** Resumes pulling after {@link #pause()}. */
    void resume();

    boolean isRunning();

    boolean isPaused();

    /** Why the last start failed, or null if it did not (cleared by a successful start). */
    @Nullable Throwable failure();

    /** The push consumer: its state, assigned queues and live statistics. */
    PushConsumer consumer();
}
