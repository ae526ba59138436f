package dev.mq.core.internal.consume;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.ConsumerListener;
import dev.mq.core.consumer.ConsumerState;
import dev.mq.core.consumer.ConsumerStats;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.internal.client.ClientServices;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** The {@link PushConsumer}: lifecycle; the engine behind it lands piece by piece. */
public final class DefaultPushConsumer implements PushConsumer {

    private final ConsumerConfig config;
    private final ConsumerListener listener;
    private final ClientServices client;
    private final AtomicReference<ConsumerState> state = new AtomicReference<>(ConsumerState.CREATED);
    private volatile boolean paused;

    public DefaultPushConsumer(ConsumerConfig config, ConsumerListener listener, ClientServices client) {
        this.config = config;
        this.listener = listener;
        this.client = client;
    }

    /** The group as it travels (namespace applied). */
    public String wireGroup() {
        String namespace = client.namespace();
        return namespace == null ? config.group() : namespace + "%" + config.group();
    }

    /** The listener this consumer hands messages to. */
    public ConsumerListener listener() {
        return listener;
    }

    @Override
    public void start() {
        throw new MQException(MQException.Reason.SHUTDOWN, "consumer " + config.group() + " cannot start yet");
    }

    @Override
    public void stop() {
        state.compareAndSet(ConsumerState.RUNNING, ConsumerState.STOPPED);
    }

    @Override
    public void close() {
        ConsumerState previous = state.getAndSet(ConsumerState.CLOSED);
        if (previous != ConsumerState.CLOSED) {
            client.consumerClosed(this);
        }
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
    }

    @Override
    public boolean isPaused() {
        return paused;
    }

    @Override
    public ConsumerState state() {
        return Objects.requireNonNull(state.get());
    }

    @Override
    public ConsumerConfig config() {
        return config;
    }

    @Override
    public Set<MessageQueue> assignedQueues() {
        return Set.of();
    }

    @Override
    public ConsumerStats stats() {
        return new ConsumerStats(config.group(), state(), paused, 0, 0, 0, Map.of());
    }
}
