package dev.mq.core.internal.consume;

import dev.mq.core.Clock;
import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.LockBatchBody;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.core.internal.transport.CommandHeader;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.internal.transport.RemotingCommand;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An orderly consumer's locks on its queues: only the client holding a queue's lock at its broker
 * may consume the queue, so two members of a group never process one queue at once, even while a
 * rebalance moves it. Locks are taken with LOCK_BATCH_MQ (one request per broker master, naming all
 * of that broker's queues) and given back with UNLOCK_BATCH_MQ.
 *
 * <p>Timing, as the official client keeps it. A broker keeps a lock {@value #BROKER_LOCK_SECONDS} s
 * after its last renewal, then lets another client take it. This client counts a lock as held only
 * {@link #LOCK_LIFETIME} (30 s) from the moment it <em>sent</em> the request that was granted (the
 * broker's clock starts later, never earlier), and renews every owned queue every
 * {@link #RENEW_INTERVAL} (20 s). So a client cut off from its broker stops consuming at least 30 s
 * before the broker could hand the queue to someone else, and a renewal may come up to 10 s late
 * without the queue pausing. A queue missing from a lock answer (another client holds it) counts as
 * not locked at once.
 *
 * <p>A broker that cannot be asked (no known master, a failed or late answer) leaves its queues as
 * they were: held ones run out at their expiry. Time comes from the injected clock, renewals from the
 * injected timer; answers are handled wherever the transport completes them (nothing blocks).
 */
public final class QueueLocks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueueLocks.class);

    /** How long a broker keeps an unrenewed lock (its {@code rocketmq.broker.rebalance.lockMaxLiveTime}). */
    static final int BROKER_LOCK_SECONDS = 60;
    /** How long a granted lock counts as held here, from the moment its request was sent. */
    public static final Duration LOCK_LIFETIME = Duration.ofSeconds(30);
    /** How often owned queues are locked again. */
    public static final Duration RENEW_INTERVAL = Duration.ofSeconds(20);
    /** The first renewal after {@link #startRenewal}. */
    public static final Duration FIRST_RENEWAL = Duration.ofSeconds(1);
    /** How long a lock or unlock request may take, as the official client allows. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

    private final RemotingClient remoting;
    private final Timer timer;
    private final Clock clock;
    private final String clientId;
    private final String group;
    private final Function<MessageQueue, @Nullable String> masterAddress;
    /** Granted queues: when the granting request was sent (clock nanos) and the wall time of that. */
    private final Map<MessageQueue, Grant> grants = new ConcurrentHashMap<>();
    /** Queues asked for and not released since: an answer arriving after a release must not revive a lock. */
    private final Set<MessageQueue> wanted = ConcurrentHashMap.newKeySet();
    private volatile @Nullable Timeout renewal;
    private volatile boolean closed;

    private record Grant(long sentNanos, long sentMillis) {
    }

    /**
     * @param group          the consumer group (wire name)
     * @param masterAddress  the address of a queue's broker master, or null when not known
     */
    public QueueLocks(RemotingClient remoting, Timer timer, Clock clock, String clientId, String group,
                      Function<MessageQueue, @Nullable String> masterAddress) {
        this.remoting = Objects.requireNonNull(remoting, "remoting");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.group = Objects.requireNonNull(group, "group");
        this.masterAddress = Objects.requireNonNull(masterAddress, "masterAddress");
    }

    /**
     * Locks (or renews) {@code queues}: one LOCK_BATCH_MQ per broker. Completes, never exceptionally,
     * with those of {@code queues} that count as locked once the answers are in (or have failed).
     */
    public CompletableFuture<Set<MessageQueue>> lock(Collection<MessageQueue> queues) {
        wanted.addAll(queues);
        List<CompletableFuture<Void>> requests = new ArrayList<>();
        for (Map.Entry<String, List<MessageQueue>> broker : byMaster(queues).entrySet()) {
            requests.add(lockAt(broker.getKey(), broker.getValue()));
        }
        return CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Set<MessageQueue> locked = new HashSet<>();
            long now = clock.nanoTime();
            for (MessageQueue queue : queues) {
                if (isLocked(queue, now)) {
                    locked.add(queue);
                }
            }
            return Set.copyOf(locked);
        });
    }

    private CompletableFuture<Void> lockAt(String address, List<MessageQueue> queues) {
        long sentNanos = clock.nanoTime();
        long sentMillis = clock.millis();
        byte[] body = LockBatchBody.encodeRequest(clientId, group, queues);
        return remoting.invoke(address, OutboundFrame.request(RequestCode.LOCK_BATCH_MQ, CommandHeader.EMPTY, body),
                REQUEST_TIMEOUT).handle((response, error) -> {
                    Set<MessageQueue> granted = granted(address, response, error);
                    if (granted == null) {
                        return null;
                    }
                    for (MessageQueue queue : queues) {
                        if (granted.contains(queue) && wanted.contains(queue)) {
                            grants.merge(queue, new Grant(sentNanos, sentMillis),
                                    (old, now) -> now.sentNanos() - old.sentNanos() > 0 ? now : old);
                        } else {
                            if (grants.remove(queue) != null) {
                                log.info("lost the lock on {} of group {}: {} did not grant it", queue, group, address);
                            }
                        }
                    }
                    return null;
                });
    }

    /** The queues a lock answer grants, or null when the request failed (nothing is learned). */
    private @Nullable Set<MessageQueue> granted(String address, @Nullable RemotingCommand response,
                                                @Nullable Throwable error) {
        if (error != null || response == null) {
            log.debug("locking queues of group {} at {} failed: {}", group, address, String.valueOf(error));
            return null;
        }
        if (response.code() != ResponseCode.SUCCESS) {
            log.debug("locking queues of group {} at {} refused: {} {}", group, address, response.code(),
                    response.remark());
            return null;
        }
        try {
            return LockBatchBody.decodeLocked(response.body());
        } catch (IllegalArgumentException e) {
            log.warn("unreadable lock answer from {}: {}", address, e.getMessage());
            return null;
        }
    }

    /** Whether {@code queue} counts as locked now (the clock's time). */
    public boolean isLocked(MessageQueue queue) {
        return isLocked(queue, clock.nanoTime());
    }

    /** Whether {@code queue} counts as locked at {@code nowNanos} (a value of the clock's {@link Clock#nanoTime()}). */
    public boolean isLocked(MessageQueue queue, long nowNanos) {
        Grant grant = grants.get(queue);
        return grant != null && nowNanos - grant.sentNanos() < LOCK_LIFETIME.toNanos();
    }

    /**
     * Until when {@code queue} counts as locked, in the clock's nanoseconds, or null if it is not
     * (or never was) granted. Past values mean expired.
     */
    public @Nullable Long lockedUntilNanos(MessageQueue queue) {
        Grant grant = grants.get(queue);
        return grant == null ? null : grant.sentNanos() + LOCK_LIFETIME.toNanos();
    }

    /** The wall time of the last granted lock of {@code queue} (epoch millis), 0 if none; for running info. */
    public long lastLockMillis(MessageQueue queue) {
        Grant grant = grants.get(queue);
        return grant == null ? 0 : grant.sentMillis();
    }

    /**
     * Gives {@code queues} up: they count as unlocked at once, and each broker is told with one
     * UNLOCK_BATCH_MQ. Completes, never exceptionally, when the brokers answered or failed to.
     */
    public CompletableFuture<Void> unlock(Collection<MessageQueue> queues) {
        wanted.removeAll(queues);
        for (MessageQueue queue : queues) {
            grants.remove(queue);
        }
        List<CompletableFuture<?>> requests = new ArrayList<>();
        for (Map.Entry<String, List<MessageQueue>> broker : byMaster(queues).entrySet()) {
            byte[] body = LockBatchBody.encodeRequest(clientId, group, broker.getValue());
            requests.add(remoting.invoke(broker.getKey(),
                    OutboundFrame.request(RequestCode.UNLOCK_BATCH_MQ, CommandHeader.EMPTY, body), REQUEST_TIMEOUT)
                    .handle((response, error) -> {
                        if (error != null || response == null || response.code() != ResponseCode.SUCCESS) {
                            // The broker frees it anyway once it stops being renewed.
                            log.debug("unlocking {} at {} failed: {}", broker.getValue(), broker.getKey(),
                                    error != null ? error.toString() : response == null ? "no answer"
                                            : response.code() + " " + response.remark());
                        }
                        return null;
                    }));
        }
        return CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new));
    }

    /**
     * Renews the locks of {@code owned} (read at each renewal: the queues this client holds now),
     * first after {@link #FIRST_RENEWAL}, then every {@link #RENEW_INTERVAL}, until {@link #close}.
     */
    public void startRenewal(Supplier<? extends Collection<MessageQueue>> owned) {
        Objects.requireNonNull(owned, "owned");
        schedule(owned, FIRST_RENEWAL);
    }

    private void schedule(Supplier<? extends Collection<MessageQueue>> owned, Duration delay) {
        if (closed) {
            return;
        }
        Timeout next = timer.newTimeout(timeout -> {
            try {
                Collection<MessageQueue> queues = owned.get();
                if (!queues.isEmpty()) {
                    lock(queues);
                }
            } catch (RuntimeException e) {
                log.warn("renewing the queue locks of group {} failed", group, e);
            } finally {
                schedule(owned, RENEW_INTERVAL);
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
        renewal = next;
        if (closed) {
            next.cancel(); // close() ran while this was being set and may have cancelled the previous one
        }
    }

    /** Stops renewing. Does not unlock: the consumer unlocks what it releases (after its last commit). */
    @Override
    public void close() {
        closed = true;
        Timeout pending = renewal;
        if (pending != null) {
            pending.cancel();
        }
    }

    private Map<String, List<MessageQueue>> byMaster(Collection<MessageQueue> queues) {
        Map<String, List<MessageQueue>> byMaster = new LinkedHashMap<>();
        for (MessageQueue queue : queues) {
            String address = masterAddress.apply(queue);
            if (address == null) {
                log.debug("no master known for {}; its lock is left as it is", queue);
                continue;
            }
            byMaster.computeIfAbsent(address, a -> new ArrayList<>()).add(queue);
        }
        return byMaster;
    }
}
