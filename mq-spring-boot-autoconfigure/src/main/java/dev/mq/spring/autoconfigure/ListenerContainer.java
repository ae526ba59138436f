package dev.mq.spring.autoconfigure;

import dev.mq.core.consumer.ConsumerState;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.spring.listener.MQListenerContainer;
import org.jspecify.annotations.Nullable;

/** The container of one {@code @MQListener} method: its push consumer and the failure of its last start. */
final class ListenerContainer implements MQListenerContainer {

    private final String id;
    private final String topic;
    private final String listenerMethod;
    private final boolean autoStartup;
    private final PushConsumer consumer;
    private volatile @Nullable Throwable failure;

    ListenerContainer(String id, String topic, String listenerMethod, boolean autoStartup, PushConsumer consumer) {
        this.id = id;
        this.topic = topic;
        this.listenerMethod = listenerMethod;
        this.autoStartup = autoStartup;
        this.consumer = consumer;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String group() {
        return consumer.config().group();
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public String listenerMethod() {
        return listenerMethod;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public synchronized void start() {
        if (consumer.state() == ConsumerState.RUNNING) {
            return;
        }
        try {
            consumer.start();
            failure = null;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public synchronized void stop() {
        consumer.stop();
    }

    @Override
    public void pause() {
        consumer.pause();
    }

    @Override
    public void resume() {
        consumer.resume();
    }

    @Override
    public boolean isRunning() {
        return consumer.state() == ConsumerState.RUNNING;
    }

    @Override
    public boolean isPaused() {
        return consumer.isPaused();
    }

    @Override
    public @Nullable Throwable failure() {
        return failure;
    }

    @Override
    public PushConsumer consumer() {
        return consumer;
    }

    void close() {
        consumer.close();
    }

    @Override
    public String toString() {
        return "MQListenerContainer[" + id + ", " + listenerMethod + ", " + consumer.state() + "]";
    }
}
