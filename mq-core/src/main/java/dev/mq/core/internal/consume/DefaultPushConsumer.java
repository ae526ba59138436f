package dev.mq.core.internal.consume;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.ConsumerListener;
import dev.mq.core.consumer.ConsumerState;
import dev.mq.core.consumer.ConsumerStats;
import dev.mq.core.consumer.MessageModel;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.internal.client.ClientServices;
import dev.mq.core.internal.protocol.ConsumeDirectlyResult;
import dev.mq.core.internal.protocol.ConsumerRunningInfo;
import dev.mq.core.internal.protocol.HeartbeatBody;
import dev.mq.core.internal.protocol.StoredMessage;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PushConsumer}: its lifecycle, over one {@link ConsumerSession} per run. Start, stop and
 * close are serialised; a stop commits and unregisters before it returns, and a later start begins a
 * fresh session (so the consumer is restartable).
 */
public final class DefaultPushConsumer implements PushConsumer {

    private static final Logger log = LoggerFactory.getLogger(DefaultPushConsumer.class);

    private final ConsumerConfig config;
    private final ConsumerListener listener;
    private final ClientServices client;
    private final WireNames names;
    private final Object lifecycle = new Object();
    private volatile ConsumerState state = ConsumerState.CREATED;
    private volatile @Nullable ConsumerSession session;
    private volatile boolean paused;
    private volatile Duration rebalanceInterval = Rebalancer.DEFAULT_INTERVAL;

    public DefaultPushConsumer(ConsumerConfig config, ConsumerListener listener, ClientServices client) {
        this.config = config;
        this.listener = listener;
        this.client = client;
        this.names = new WireNames(client.namespace(), config.group());
    }

    /** The group as it travels (namespace applied). */
    public String wireGroup() {
        return names.group();
    }

    /** The listener this consumer hands messages to. */
    public ConsumerListener listener() {
        return listener;
    }

    /**
     * Sets how often this consumer rebalances without a notification (20 s by default); takes effect at
     * the next start. For tests that need a short one.
     */
    public void rebalanceInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw MQException.validation("rebalance interval must be positive, got " + interval);
        }
        this.rebalanceInterval = interval;
    }

    /** This consumer's entry in the client's heartbeats while it runs, else null. */
    public HeartbeatBody.@Nullable ConsumerGroup heartbeatGroup() {
        ConsumerSession current = session;
        return state == ConsumerState.RUNNING && current != null ? current.heartbeatGroup() : null;
    }

    /** A member of the group joined or left (the broker's notification): rebalance soon. */
    public void rebalanceSoon() {
        ConsumerSession current = session;
        if (current != null) {
            current.rebalanceSoon();
        }
    }

    /** The current run, or null while stopped; for tests of this package. */
    @Nullable ConsumerSession session() {
        return session;
    }

    /** The running state for an administrator, or null while not running. */
    @Nullable ConsumerRunningInfo runningInfo() {
        ConsumerSession current = session;
        return state == ConsumerState.RUNNING && current != null ? current.runningInfo() : null;
    }

    /** Runs one message through the listener for an administrator; null while not running. */
    @Nullable CompletableFuture<ConsumeDirectlyResult> consumeDirectly(StoredMessage message,
                                                                       @Nullable String brokerName) {
        ConsumerSession current = session;
        return state == ConsumerState.RUNNING && current != null ? current.consumeDirectly(message, brokerName)
                : null;
    }

    /** An administrator's offset reset (queues as they travel); ignored while not running. */
    void resetOffsets(Map<MessageQueue, Long> offsets) {
        ConsumerSession current = session;
        if (current != null) {
            current.resetOffsets(offsets);
        }
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (state != ConsumerState.CREATED && state != ConsumerState.STOPPED) {
                throw new IllegalStateException("consumer " + config.group() + " cannot start from state " + state);
            }
            if (!client.isRunning()) {
                throw new IllegalStateException("consumer " + config.group() + " cannot start: its client is not"
                        + " RUNNING");
            }
            // Before anything is registered or started: a refused subscription leaves the consumer as it was.
            SubscriptionCheck.verify(config.group(), ConsumerSession.subscriptions(config, names, 0,
                    config.messageModel() == MessageModel.BROADCASTING).values(), client, names,
                    new BrokerRequests(client.remoting(), client.routes()));
            ListenerInvoker invoker = new ListenerInvoker(config.group(), listener, config.hooks(), client.clock());
            ConsumerSession started = new ConsumerSession(config, invoker, client, names, rebalanceInterval, paused);
            session = started;
            state = ConsumerState.RUNNING;
            // Brokers learn the group (and create its retry topic) before the first rebalance asks for members.
            client.consumerGroupsChanged();
            started.start();
            log.info("consumer group {} started as {}", config.group(), client.clientId());
        }
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            if (state != ConsumerState.RUNNING) {
                return;
            }
            stopRunning();
            state = ConsumerState.STOPPED;
        }
    }

    /** Stops the session, then leaves the group: heartbeats stop naming it before it is unregistered. */
    private void stopRunning() {
        ConsumerSession current = Objects.requireNonNull(session);
        current.shutdown(config.shutdownTimeout());
        state = ConsumerState.STOPPED;
        session = null;
        try {
            client.unregisterConsumer(names.group()).get(BrokerRequests.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("unregistering consumer group {} did not finish: {}", config.group(), e.toString());
        }
        log.info("consumer group {} stopped", config.group());
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (state == ConsumerState.CLOSED) {
                return;
            }
            if (state == ConsumerState.RUNNING) {
                stopRunning();
            }
            state = ConsumerState.CLOSED;
        }
        client.consumerClosed(this);
    }

    @Override
    public void pause() {
        paused = true;
        ConsumerSession current = session;
        if (current != null) {
            current.pause();
        }
    }

    @Override
    public void resume() {
        paused = false;
        ConsumerSession current = session;
        if (current != null) {
            current.resume();
        }
    }

    @Override
    public boolean isPaused() {
        return paused;
    }

    @Override
    public ConsumerState state() {
        return state;
    }

    @Override
    public ConsumerConfig config() {
        return config;
    }

    @Override
    public Set<MessageQueue> assignedQueues() {
        ConsumerSession current = session;
        if (current == null) {
            return Set.of();
        }
        Set<MessageQueue> queues = new TreeSet<>(java.util.Comparator.comparing(MessageQueue::topic)
                .thenComparing(MessageQueue::brokerName).thenComparingInt(MessageQueue::queueId));
        current.queues().forEach((queue, pq) -> {
            if (!pq.isDropped()) {
                queues.add(names.applicationQueue(queue));
            }
        });
        return java.util.Collections.unmodifiableSet(queues);
    }

    @Override
    public ConsumerStats stats() {
        ConsumerSession current = session;
        return current == null ? new ConsumerStats(config.group(), state, paused, 0, 0, 0, Map.of())
                : current.stats(state);
    }
}
