package dev.mq.spring.autoconfigure;

import dev.mq.core.client.ClientState;
import dev.mq.core.client.ClusterStatus;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.producer.Producer;
import dev.mq.core.MessageQueue;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.spring.listener.MQListenerContainer;
import dev.mq.spring.listener.MQListenerRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * UP when a NameServer answers now, it lists at least one broker with a master, and the client and
 * its producers are RUNNING; DOWN with the reason otherwise. Details name the NameServers and the
 * brokers, never credentials.
 *
 * <p>With {@code @MQListener}s, the details list each container ({@code listeners}: group, topic,
 * method, consumer state, paused, assigned queues, lag). A container whose start failed makes the
 * status DOWN; with a lag threshold, a running container further behind makes it OUT_OF_SERVICE.
 */
public class MQHealthIndicator extends AbstractHealthIndicator {

    private final MQClientInstance client;
    private final Duration timeout;
    private final @Nullable MQListenerRegistry listeners;
    private final @Nullable Long lagThreshold;

    public MQHealthIndicator(MQClientInstance client, Duration timeout) {
        this(client, timeout, null, null);
    }

    /**
     * @param listeners    the containers to report on, or null
     * @param lagThreshold lag above which a running container makes the status OUT_OF_SERVICE, or null for never
     */
    public MQHealthIndicator(MQClientInstance client, Duration timeout, @Nullable MQListenerRegistry listeners,
                             @Nullable Long lagThreshold) {
        super("RocketMQ health check failed");
        this.client = client;
        this.timeout = timeout;
        this.listeners = listeners;
        this.lagThreshold = lagThreshold;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        builder.withDetail("nameServers", client.nameServers()).withDetail("clientId", client.clientId());
        String listenerProblem = listeners(builder);
        if (client.state() != ClientState.RUNNING) {
            builder.down().withDetail("reason", "client is " + client.state());
            return;
        }
        List<String> stopped = client.producers().stream().filter(p -> !p.isRunning()).map(Producer::group).toList();
        if (!stopped.isEmpty()) {
            builder.down().withDetail("reason", "producers not running: " + stopped);
            return;
        }
        ClusterStatus status;
        try {
            status = client.clusterStatus().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            builder.down().withDetail("reason", "no name server answered: " + e.getCause().getMessage());
            return;
        } catch (TimeoutException e) {
            builder.down().withDetail("reason", "no name server answered within " + timeout.toMillis() + " ms");
            return;
        }
        builder.withDetail("nameServer", status.nameServer()).withDetail("brokers", status.brokers());
        if (status.brokers().isEmpty()) {
            builder.down().withDetail("reason", "name server " + status.nameServer() + " knows no broker");
        } else if (listenerProblem != null) {
            builder.status(listenerProblem.startsWith("lag") ? Status.OUT_OF_SERVICE : Status.DOWN)
                    .withDetail("reason", listenerProblem);
        } else {
            builder.up();
        }
    }

    /** Adds the containers' details; returns what is wrong with them (a failure first), or null. */
    private @Nullable String listeners(Health.Builder builder) {
        MQListenerRegistry registry = listeners;
        if (registry == null || registry.containers().isEmpty()) {
            return null;
        }
        String failed = null;
        String behind = null;
        Map<String, Object> details = new LinkedHashMap<>();
        for (MQListenerContainer container : registry.containers()) {
            PushConsumer consumer = container.consumer();
            long lag = consumer.stats().lag();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("group", container.group());
            detail.put("topic", container.topic());
            detail.put("method", container.listenerMethod());
            detail.put("state", consumer.state().name());
            detail.put("paused", consumer.isPaused());
            detail.put("assignedQueues", consumer.assignedQueues().stream().map(MessageQueue::toString).sorted().toList());
            detail.put("lag", lag);
            Throwable failure = container.failure();
            if (failure != null) {
                detail.put("failure", String.valueOf(failure.getMessage()));
                if (failed == null) {
                    failed = "listener " + container.id() + " failed: " + failure.getMessage();
                }
            }
            Long threshold = lagThreshold;
            if (threshold != null && container.isRunning() && lag > threshold && behind == null) {
                behind = "lag of listener " + container.id() + " is " + lag + ", above " + threshold;
            }
            details.put(container.id(), detail);
        }
        builder.withDetail("listeners", details);
        return failed != null ? failed : behind;
    }
}
