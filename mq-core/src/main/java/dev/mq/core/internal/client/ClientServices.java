package dev.mq.core.internal.client;

import dev.mq.core.Clock;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.internal.route.TopicRoutes;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.producer.Producer;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * What a producer or consumer needs from its {@link MQClientInstance}. An internal contract between
 * the client and its tenants; applications never implement or call it.
 */
public interface ClientServices {

    /** The id brokers know this client by ({@code ip@instance}). */
    String clientId();

    /**
     * A name for this client that stays the same across restarts of the process, for what it keeps on
     * disk (a broadcasting consumer's offsets): the instance name when the application set one, else
     * the host's address ({@link #clientId()}'s default instance name changes with every process).
     */
    String stableName();

    /** The namespace prefixed to topics and groups ({@code ns%topic}), or null. */
    @Nullable String namespace();

    /** The shared transport. */
    RemotingClient remoting();

    /** The shared route cache. */
    TopicRoutes routes();

    /**
     * Where completions and hooks run; never an event loop while the client is open. It never rejects
     * or drops a task: a task the application's executor rejects runs on a client-owned overflow
     * thread, and only once the client has closed on the calling thread.
     */
    Executor callbackExecutor();

    /** What every deadline is read against (the client's {@link ClientResources#clock()}); known before start. */
    Clock clock();

    /** Whether the client is RUNNING. */
    boolean isRunning();

    /** The client's pending requests, to which brokers' reply pushes are routed by correlation id. */
    ReplyRouter replies();

    /**
     * Completes once each of {@code brokers} has accepted a heartbeat naming this client's current
     * groups (at once when all have): a broker pushes a reply only to a client it knows by heartbeat.
     * Completes exceptionally when such a heartbeat fails.
     */
    CompletableFuture<Void> announcedTo(Collection<String> brokers);

    /** Removes a closed producer from heartbeats. */
    void producerClosed(Producer producer);

    /**
     * A consumer started or stopped: every known broker is sent a heartbeat at once, so that the
     * group's membership and subscriptions change there without waiting for the next tick.
     */
    void consumerGroupsChanged();

    /**
     * Withdraws consumer group {@code wireGroup} from every known broker (UNREGISTER_CLIENT), so the
     * other members rebalance at once; completes when all answered or failed, within the client's
     * unregister timeout.
     */
    CompletableFuture<Void> unregisterConsumer(String wireGroup);

    /** Removes a closed consumer from the client (its group was already withdrawn). */
    void consumerClosed(PushConsumer consumer);
}
