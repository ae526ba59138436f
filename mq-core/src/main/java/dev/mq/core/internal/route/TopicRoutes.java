package dev.mq.core.internal.route;

import static dev.mq.core.internal.protocol.SystemTopics.AUTO_CREATE_QUEUES;
import static dev.mq.core.internal.protocol.SystemTopics.AUTO_CREATE_TEMPLATE;

import dev.mq.core.Clock;
import dev.mq.core.MQException;
import dev.mq.core.internal.protocol.RouteCodec;
import dev.mq.core.internal.protocol.TopicRouteData;
import dev.mq.core.internal.transport.FrameEncoder;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route cache of a client instance. A send to a topic without a cached route waits for
 * <em>one</em> asynchronous lookup, however many sends wait on it. A topic unknown to the
 * NameServers falls back to the auto-create template topic ({@code TBW102}) when a broker offers it,
 * so the broker creates the topic on the first send. A topic not sent to for the idle timeout is
 * dropped (checked at each refresh), so the cache and the refreshes follow the topics in use.
 */
public final class TopicRoutes {

    private static final Logger log = LoggerFactory.getLogger(TopicRoutes.class);
    /** A route as NameServers send it, with the fields and map forms of a real answer. */
    private static final byte[] SAMPLE_ROUTE = ("{\"brokerDatas\":[{\"brokerAddrs\":{\"0\":\"127.0.0.1:10911\"},"
            + "\"brokerName\":\"broker-a\",\"cluster\":\"DefaultCluster\",\"enableActingMaster\":false}],"
            + "\"filterServerTable\":{},\"queueDatas\":[{\"brokerName\":\"broker-a\",\"perm\":6,"
            + "\"readQueueNums\":4,\"topicSysFlag\":0,\"writeQueueNums\":4}]}").getBytes(StandardCharsets.UTF_8);

    private static volatile boolean codecLoaded;

    private final NameServerClient nameServers;
    private final Executor callbackExecutor;
    private final Consumer<TopicPublishInfo> onNewRoute;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long idleNanos;
    private final Clock clock;

    public TopicRoutes(NameServerClient nameServers, Executor callbackExecutor, Consumer<TopicPublishInfo> onNewRoute,
                Duration idleTimeout) {
        this.nameServers = nameServers;
        this.clock = nameServers.clock();
        this.idleNanos = idleTimeout.toNanos();
        this.callbackExecutor = callbackExecutor;
        this.onNewRoute = onNewRoute;
    }

    /** The cached route of {@code topic}, or null if it has none yet (or a lookup is under way). */
    public @Nullable TopicPublishInfo cached(String topic) {
        Entry entry = entries.get(topic);
        if (entry == null) {
            return null;
        }
        if (!entry.used) { // written once per refresh interval at most: no contention among senders
            entry.used = true;
        }
        return entry.readyRoute();
    }

    /**
     * Calls {@code waiter} with the route of {@code topic} once it is known, starting a lookup if none
     * is under way. Waiters are resumed in the order they called, on the callback executor.
     */
    public void await(String topic, RouteWaiter waiter) {
        while (true) {
            Entry entry = entries.computeIfAbsent(topic, Entry::new);
            switch (entry.enqueue(waiter)) {
                case STARTED -> startLookup(topic, entry);
                case READY -> waiter.routeReady(Objects.requireNonNull(entry.readyRoute(), "a ready entry has a route")); // the caller's own thread: order kept
                case DEAD -> {
                    continue; // removed after a failed lookup: take a fresh entry
                }
                default -> { // QUEUED: resumed when the lookup under way finishes
                }
            }
            return;
        }
    }

    /** {@link #await} as a future: completes with the route of {@code topic}, or with the lookup's failure. */
    public CompletableFuture<TopicPublishInfo> route(String topic) {
        CompletableFuture<TopicPublishInfo> route = new CompletableFuture<>();
        await(topic, new RouteWaiter() {
            @Override
            public void routeReady(TopicPublishInfo ready) {
                route.complete(ready);
            }

            @Override
            public void routeFailed(MQException error) {
                route.completeExceptionally(error);
            }
        });
        return route;
    }

    private void startLookup(String topic, Entry entry) {
        CompletableFuture<TopicPublishInfo> lookup;
        try {
            lookup = lookup(topic, true);
        } catch (RuntimeException | Error e) { // the waiters queued meanwhile must still be resumed
            entry.resolved(null, e);
            return;
        }
        lookup.whenComplete(entry::resolved);
    }

    /**
     * Decodes a built-in route and encodes a route request, loading the JSON mapper, the route
     * classes and the frame encoder: in a fresh JVM that takes several hundred milliseconds, which
     * would otherwise fall on the first lookup.
     */
    public static void loadCodec() {
        if (codecLoaded) { // once per JVM: later clients find the classes loaded
            return;
        }
        codecLoaded = true;
        try {
            TopicPublishInfo.from(AUTO_CREATE_TEMPLATE, RouteCodec.decode(SAMPLE_ROUTE), true, AUTO_CREATE_QUEUES);
            FrameEncoder.encode(NameServerClient.routeRequest(AUTO_CREATE_TEMPLATE), 0, ByteBufAllocator.DEFAULT)
                    .release();
        } catch (RuntimeException e) {
            log.debug("loading the route codec failed", e);
        }
    }

    /**
     * The master address of {@code brokerName}: from {@code wireTopic}'s route, else from any cached
     * route naming the broker (a topic may have left the cache while its broker still serves), or null.
     */
    public @Nullable String masterAddress(String wireTopic, String brokerName) {
        TopicPublishInfo own = cached(wireTopic);
        String master = own == null ? null : own.masterAddress(brokerName);
        if (master != null) {
            return master;
        }
        for (TopicPublishInfo route : snapshot().values()) {
            master = route.masterAddress(brokerName);
            if (master != null) {
                return master;
            }
        }
        return null;
    }

    /**
     * The name of the broker whose master is {@code address}: from {@code wireTopic}'s route, else from
     * any cached route, or null.
     */
    public @Nullable String brokerNameOf(String wireTopic, String address) {
        TopicPublishInfo own = cached(wireTopic);
        String name = own == null ? null : own.brokerNameOf(address);
        if (name != null) {
            return name;
        }
        for (TopicPublishInfo route : snapshot().values()) {
            name = route.brokerNameOf(address);
            if (name != null) {
                return name;
            }
        }
        return null;
    }

    /** Topics with a cached route, and their routes. */
    public Map<String, TopicPublishInfo> snapshot() {
        Map<String, TopicPublishInfo> routes = new LinkedHashMap<>();
        entries.forEach((topic, entry) -> {
            TopicPublishInfo route = entry.readyRoute();
            if (route != null) {
                routes.put(topic, route);
            }
        });
        return routes;
    }

    /**
     * Re-fetches every cached route. A topic the NameServers no longer know keeps its old route: they
     * forget a topic for a while when its broker restarts, and the auto-create template offered
     * meanwhile would create the topic on other brokers and move keys to other queues. Only a topic
     * still known through the template alone follows the template.
     */
    public void refreshAll() {
        long now = clock.nanoTime();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            if (entry.idleSince(now) >= idleNanos && entry.expire()) {
                entries.remove(e.getKey(), entry);
                log.debug("topic {} not sent to for {} ms: its route is dropped", e.getKey(), idleNanos / 1_000_000);
                continue;
            }
            TopicPublishInfo current = entry.readyRoute();
            if (current == null) {
                continue;
            }
            lookup(e.getKey(), current.viaDefaultTopic()).whenComplete((route, error) -> {
                if (error != null) {
                    log.debug("route refresh of {} failed: {}", e.getKey(), error.getMessage());
                } else if (route == null) {
                    log.debug("name servers do not know topic {} for now: its route is kept", e.getKey());
                } else {
                    entry.refreshed(route);
                }
            });
        }
    }

    /**
     * Re-fetches the route of {@code topic} now if it is cached (a consumer waiting for its retry
     * topic to appear, which a heartbeat creates), else starts a lookup. Failures are logged.
     */
    public void refresh(String topic) {
        Entry entry = entries.get(topic);
        TopicPublishInfo current = entry == null ? null : entry.readyRoute();
        if (entry == null || current == null) {
            await(topic, new RouteWaiter() {
                @Override
                public void routeReady(TopicPublishInfo route) {
                }

                @Override
                public void routeFailed(MQException error) {
                    log.debug("route lookup of {} failed: {}", topic, error.getMessage());
                }
            });
            return;
        }
        lookup(topic, current.viaDefaultTopic()).whenComplete((route, error) -> {
            if (error != null) {
                log.debug("route refresh of {} failed: {}", topic, error.getMessage());
            } else if (route != null) {
                entry.refreshed(route);
            }
        });
    }

    /**
     * The route of {@code topic}; for a topic the NameServers do not know, the template route if
     * {@code templateAllowed}, else null.
     */
    private CompletableFuture<TopicPublishInfo> lookup(String topic, boolean templateAllowed) {
        return nameServers.route(topic).thenCompose(route -> {
            if (route.isPresent()) {
                return CompletableFuture.completedFuture(build(topic, route.get(), false));
            }
            if (!templateAllowed) {
                return CompletableFuture.completedFuture(null);
            }
            return nameServers.route(AUTO_CREATE_TEMPLATE).thenApply(template -> {
                Optional<TopicPublishInfo> info = template.map(t -> build(topic, t, true));
                if (info.isEmpty() || info.get().isEmpty()) {
                    throw new MQException(MQException.Reason.NO_ROUTE, "topic '" + topic
                            + "' has no route on name servers " + nameServers.addresses()
                            + ": create it or enable autoCreateTopicEnable on the brokers");
                }
                return info.get();
            });
        });
    }

    private TopicPublishInfo build(String topic, TopicRouteData route, boolean viaDefault) {
        TopicPublishInfo info = TopicPublishInfo.from(topic, route, viaDefault,
                viaDefault ? AUTO_CREATE_QUEUES : Integer.MAX_VALUE);
        if (info.isEmpty()) {
            throw new MQException(MQException.Reason.NO_ROUTE, "topic '" + topic + "' has no writable queue "
                    + "on any broker with a master (route from name servers " + nameServers.addresses() + ")");
        }
        return info;
    }

    private enum Enqueued { STARTED, QUEUED, READY, DEAD }

    /** One topic: its route once known, and the sends waiting for it meanwhile. */
    private final class Entry {

        private final String topic;
        private final ArrayDeque<RouteWaiter> waiters = new ArrayDeque<>();
        private volatile @Nullable TopicPublishInfo route;
        private boolean lookingUp;
        private boolean removed;
        /** Set by every send that reads this entry, cleared by the refresh task when it notes the use. */
        volatile boolean used = true;
        /** When the refresh task last saw {@link #used} set; read and written by that task only. */
        private long lastSeenUsed = clock.nanoTime();

        Entry(String topic) {
            this.topic = topic;
        }

        /** Nanoseconds since a send last used this topic, as far as the refresh task knows. */
        long idleSince(long now) {
            if (used) {
                used = false;
                lastSeenUsed = now;
            }
            return now - lastSeenUsed;
        }

        /** Drops the entry unless sends wait on it; after that, sends take a fresh entry. */
        synchronized boolean expire() {
            if (lookingUp || !waiters.isEmpty()) {
                return false;
            }
            removed = true;
            return true;
        }

        /** The route if no waiter is still ahead of new sends. */
        @Nullable TopicPublishInfo readyRoute() {
            return route;
        }

        /** Queues a waiter unless the route is ready; says what the caller must do next. */
        synchronized Enqueued enqueue(RouteWaiter waiter) {
            if (removed) {
                return Enqueued.DEAD;
            }
            used = true;
            if (!lookingUp && route != null) {
                return Enqueued.READY;
            }
            waiters.add(waiter);
            if (lookingUp) {
                return Enqueued.QUEUED;
            }
            lookingUp = true;
            return Enqueued.STARTED;
        }

        /**
         * The lookup finished. Whatever the route listener throws, the waiters are resumed: a topic
         * whose lookup never resumes stays "looking up" and is never looked up again.
         */
        void resolved(@Nullable TopicPublishInfo found, @Nullable Throwable error) {
            MQException failure = error == null ? null : asMQException(error);
            try {
                if (found != null) {
                    onNewRoute.accept(found);
                }
            } catch (RuntimeException | Error e) {
                log.warn("route listener for {} failed", topic, e);
            } finally {
                callbackExecutor.execute(() -> resume(found, failure));
            }
        }

        /**
         * Resumes waiters in order; only then may new sends bypass the queue via {@link #route}. A
         * waiter that throws, even an Error, is logged and the next one resumed; a VM error is
         * rethrown once every waiter has been resumed and the entry settled.
         */
        private void resume(@Nullable TopicPublishInfo found, @Nullable MQException failure) {
            VirtualMachineError fatal = null;
            while (true) {
                RouteWaiter next;
                synchronized (this) {
                    next = waiters.poll();
                    if (next == null) {
                        lookingUp = false;
                        if (failure != null) {
                            removed = true;
                            entries.remove(topic, this);
                        } else {
                            route = found;
                        }
                        break;
                    }
                }
                try {
                    if (failure != null) {
                        next.routeFailed(failure);
                    } else {
                        next.routeReady(Objects.requireNonNull(found, "a lookup without error has a route"));
                    }
                } catch (VirtualMachineError e) {
                    fatal = fatal == null ? e : fatal;
                } catch (RuntimeException | Error e) {
                    log.warn("route waiter for {} failed", topic, e);
                }
            }
            if (fatal != null) {
                throw fatal;
            }
        }

        void refreshed(TopicPublishInfo fresh) {
            TopicPublishInfo old = route;
            route = fresh;
            if (old == null || !old.masters().equals(fresh.masters())) {
                onNewRoute.accept(fresh);
            }
        }
    }

    private static MQException asMQException(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof MQException mq) {
            if (mq.reason() == MQException.Reason.CONNECTION || mq.reason() == MQException.Reason.TIMEOUT) {
                return new MQException(mq.reason(), "cannot look up the route: " + mq.getMessage(), mq);
            }
            return mq;
        }
        return new MQException(MQException.Reason.NO_ROUTE, "route lookup failed: " + cause, cause);
    }
}
