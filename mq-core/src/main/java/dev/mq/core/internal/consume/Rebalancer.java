package dev.mq.core.internal.consume;

import dev.mq.core.MessageQueue;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.internal.route.TopicPublishInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides and applies which queues this member owns, on the session's control thread (the only
 * thread that adds or gives up queues while the session runs). Per subscribed topic, the retry topic
 * included: the readable queues of its route, the group's members from one broker of the topic, and
 * the configured allocation; a queue given up stops pulling, waits (bounded) for its handlers and
 * commits before it goes, and a new queue starts where the group left it (or where consume-from says
 * for a queue the group never committed).
 */
final class Rebalancer {

    private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);

    /**
     * How often the group's membership is checked without a notification: the official client's
     * 20 s, since brokers notify members of every change and this only repairs a lost notification.
     */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(20);
    /**
     * How soon a round that could not complete (a route or member list missing) is tried again; the
     * delay doubles while rounds stay incomplete (a topic that does not exist yet), up to the interval.
     */
    static final Duration INCOMPLETE_RETRY = Duration.ofSeconds(1);
    /**
     * How long a queue newly allocated to this member waits before its start offset is read, while
     * the group has other members. The member giving the queue up learns of the same membership
     * change at the same moment (the broker notifies every member), then stops pulling it, waits for
     * its running handlers and commits; reading the broker's offset before that commit lands would
     * re-deliver everything it finished since its last periodic commit. Two seconds cover the
     * notification's coalescing delay, the member list request, the commit's round trip and handlers
     * of up to about a second, with room for a busy machine (one second was seen to fall short with
     * the load average at 30 on two cores); a handler running longer than that has its message
     * delivered again. A member that leaves with {@code stop()} commits before it unregisters, so
     * for its queues the wait is only a delay.
     */
    static final Duration HANDOVER_GRACE = Duration.ofSeconds(2);

    private final ConsumerSession session;
    private final Duration interval;
    private final ScheduledExecutorService control;
    /** The latest allocation per topic (control thread only): a deferred take checks it still holds. */
    private final Map<String, Set<MessageQueue>> allocated = new HashMap<>();
    /** Whether the last {@link #apply} locked every new queue it wanted (orderly); control thread only. */
    private boolean lockedAll = true;
    /** The next delay after an incomplete round; control thread only. */
    private long incompleteDelayMillis = INCOMPLETE_RETRY.toMillis();
    /** Compares the group's subscriptions at a broker with ours, once per interval at most. */
    private final SubscriptionConflicts conflicts;

    /** @param control the session's control thread, where every round runs */
    Rebalancer(ConsumerSession session, Duration interval, ScheduledExecutorService control) {
        this.session = session;
        this.interval = interval;
        this.control = control;
        this.conflicts = new SubscriptionConflicts(session, interval);
    }

    /** A first round now, then one every interval. */
    void start() {
        control.execute(this::rebalance);
        control.scheduleWithFixedDelay(this::rebalance, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One round over every subscribed topic; runs on the control thread. */
    void rebalance() {
        if (!session.isRunning()) {
            return;
        }
        boolean changed = false;
        boolean incomplete = false;
        try {
            for (String topic : session.subscriptions().keySet()) {
                Boolean result = rebalanceTopic(topic);
                if (result == null) {
                    incomplete = true;
                } else {
                    changed |= result;
                }
            }
        } catch (RuntimeException e) {
            log.warn("rebalance of consumer group {} failed", session.config().group(), e);
            incomplete = true;
        }
        if (changed) {
            session.client().consumerGroupsChanged();
        }
        checkSubscriptions();
        if (!incomplete) {
            incompleteDelayMillis = INCOMPLETE_RETRY.toMillis();
        } else if (session.isRunning()) {
            try {
                control.schedule(this::rebalance, incompleteDelayMillis, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) { // shut down meanwhile
                log.debug("rebalance retry not scheduled: {}", e.toString());
            }
            incompleteDelayMillis = Math.min(incompleteDelayMillis * 2, interval.toMillis());
        }
    }

    /**
     * Due once per interval: compares the group's subscriptions at one master of a subscribed topic with
     * ours. Clustering only: broadcasting members share no queue, so they may subscribe as they like.
     */
    private void checkSubscriptions() {
        if (session.isBroadcasting()) {
            return;
        }
        for (String topic : session.subscriptions().keySet()) {
            TopicPublishInfo route = session.routes().cached(topic);
            if (route != null && !route.masters().isEmpty()) {
                List<String> masters = new ArrayList<>(route.masters().values());
                conflicts.checkIfDue(masters.get(ThreadLocalRandom.current().nextInt(masters.size())));
                return;
            }
        }
    }

    /** @return whether the owned queues of {@code wireTopic} changed, or null if the round could not decide */
    private @Nullable Boolean rebalanceTopic(String wireTopic) {
        TopicPublishInfo route = session.routes().cached(wireTopic);
        if (route == null || route.readQueues().isEmpty()) {
            // The retry topic appears once a heartbeat created it; an unknown topic may be created later.
            session.routes().refresh(wireTopic);
            return null;
        }
        if (session.isBroadcasting()) {
            // Every member reads every readable queue: no member list, no allocation.
            return apply(wireTopic, new HashSet<>(route.readQueues()), Duration.ZERO);
        }
        List<String> masters = new ArrayList<>(route.masters().values());
        if (masters.isEmpty()) {
            return null;
        }
        String broker = masters.get(ThreadLocalRandom.current().nextInt(masters.size()));
        List<String> members;
        try {
            members = session.requests().consumerIds(broker, session.names().group())
                    .get(BrokerRequests.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            log.debug("members of group {} unknown for now: {}", session.names().group(), e.toString());
            return null;
        }
        WireNames names = session.names();
        List<MessageQueue> shown = route.readQueues().stream().map(names::applicationQueue).toList();
        Set<MessageQueue> mine = new HashSet<>();
        for (MessageQueue q : session.config().queueAllocation().allocate(shown, members,
                session.client().clientId())) {
            mine.add(new MessageQueue(wireTopic, q.brokerName(), q.queueId()));
        }
        // An orderly queue changes hands through its lock (its holder unlocks after its last commit), so
        // only a concurrent consumer waits the handover grace.
        Duration grace = members.size() > 1 && session.locks() == null ? HANDOVER_GRACE : Duration.ZERO;
        boolean changed = apply(wireTopic, mine, grace);
        // An orderly queue another member still holds is taken at a later round, which comes soon.
        return lockedAll ? changed : null;
    }

    /**
     * Gives up the queues of {@code wireTopic} not in {@code mine}, then takes the new ones: at once,
     * or after {@code grace} (another member may still be giving them up), if they are still this
     * member's then — for an orderly consumer only those it could lock (the others stay with their
     * holder until a later round).
     */
    boolean apply(String wireTopic, Set<MessageQueue> mine, Duration grace) {
        lockedAll = true;
        allocated.put(wireTopic, Set.copyOf(mine));
        List<ProcessQueue> removed = new ArrayList<>();
        synchronized (session.membership) {
            if (!session.isRunning()) {
                return false;
            }
            for (Map.Entry<MessageQueue, ProcessQueue> e : session.queues().entrySet()) {
                if (e.getKey().topic().equals(wireTopic) && !mine.contains(e.getKey())) {
                    removed.add(e.getValue());
                    session.release(e.getValue().drop());
                }
            }
        }
        boolean changed = !removed.isEmpty();
        if (changed) {
            long wait = Math.min(session.config().shutdownTimeout().toNanos(), ConsumerSession.REMOVAL_WAIT.toNanos());
            long deadline = System.nanoTime() + wait;
            session.awaitIdle(removed, deadline);
            List<ProcessQueue> committed = session.commitFinal(removed,
                    Math.max(BrokerRequests.TIMEOUT.toNanos(), deadline - System.nanoTime()));
            // A queue whose final offset went unacknowledged keeps its lock until it runs out: the write
            // may still land, and the next owner must not read the offset before it.
            session.unlock(committed, QueueLocks.REQUEST_TIMEOUT.toNanos());
            log.info("consumer group {} gave up {}", session.config().group(), removed);
        }
        List<MessageQueue> wanted = mine.stream().filter(q -> !session.queues().containsKey(q)).toList();
        if (!wanted.isEmpty() && grace.compareTo(Duration.ZERO) > 0) {
            try {
                control.schedule(() -> {
                    if (take(wireTopic, wanted)) {
                        session.client().consumerGroupsChanged();
                    }
                }, grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) { // shut down meanwhile
                log.debug("taking {} not scheduled: {}", wanted, e.toString());
            }
            return changed;
        }
        return take(wireTopic, wanted) || changed;
    }

    /**
     * Takes the queues of {@code candidates} that the latest allocation of {@code wireTopic} still
     * gives this member and nobody else holds (orderly: those it could lock).
     */
    private boolean take(String wireTopic, List<MessageQueue> candidates) {
        boolean changed = false;
        Set<MessageQueue> wanted = new HashSet<>();
        for (MessageQueue queue : candidates) {
            if (allocated.getOrDefault(wireTopic, Set.of()).contains(queue) && !session.queues().containsKey(queue)) {
                wanted.add(queue);
            }
        }
        QueueLocks locks = session.locks();
        if (locks != null && !wanted.isEmpty()) {
            Set<MessageQueue> granted;
            try {
                granted = locks.lock(wanted).get(2 * QueueLocks.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return changed;
            } catch (Exception e) {
                granted = Set.of();
            }
            Set<MessageQueue> locked = granted;
            if (!locked.containsAll(wanted)) {
                lockedAll = false;
                log.debug("consumer group {}: {} locked elsewhere for now", session.config().group(),
                        wanted.stream().filter(q -> !locked.contains(q)).toList());
            }
            wanted.retainAll(locked);
        }
        for (MessageQueue queue : wanted) {
            long start;
            try {
                start = startOffset(queue).get(2 * BrokerRequests.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return changed;
            } catch (Exception e) {
                log.warn("consumer group {}: start offset of {} unknown ({}); retried at the next rebalance",
                        session.config().group(), queue, e.toString());
                continue;
            }
            ProcessQueue created = new ProcessQueue(queue, start);
            synchronized (session.membership) {
                if (!session.isRunning()) {
                    return changed;
                }
                session.offsetStore().update(queue, start, true);
                session.queues().put(queue, created);
            }
            changed = true;
            log.info("consumer group {} took {} from offset {}", session.config().group(), queue, start);
            session.puller().pull(created);
        }
        return changed;
    }

    /**
     * Where to start reading a newly owned queue: the group's committed offset; for a queue the group
     * never committed, where consume-from says — except on the retry topic, which holds only this
     * group's failures and is read from its start (from its end for a timestamp start, as the official
     * client does).
     */
    CompletableFuture<Long> startOffset(MessageQueue queue) {
        return session.offsetStore().read(queue).thenCompose(stored -> {
            if (stored >= 0) {
                return CompletableFuture.completedFuture(stored);
            }
            boolean retry = session.names().isRetryTopic(queue.topic());
            ConsumeFrom from = session.config().consumeFrom();
            BrokerRequests requests = session.requests();
            return switch (from.kind()) {
                case LAST_OFFSET -> retry ? CompletableFuture.completedFuture(0L) : requests.maxOffset(queue);
                case FIRST_OFFSET -> retry ? CompletableFuture.completedFuture(0L) : requests.minOffset(queue);
                case TIMESTAMP -> retry ? requests.maxOffset(queue)
                        : requests.offsetAt(queue, java.util.Objects.requireNonNull(from.timestamp()));
            };
        });
    }
}
