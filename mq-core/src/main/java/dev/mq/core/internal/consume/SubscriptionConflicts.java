package dev.mq.core.internal.consume;

import dev.mq.core.internal.protocol.ConsumerConnectionBody;
import dev.mq.core.internal.protocol.HeartbeatBody.Subscription;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices members of this consumer's group that subscribe differently. A broker keeps one
 * subscription table per group, rewritten by its members' heartbeats, and shares the group's queues
 * out among all members whatever they subscribe: a member then skips (and commits past) the messages
 * of its queues that only another member selects, which that member never sees. So every rebalance
 * interval at most (not per pull, not per notification), a clustering member reads the group as a
 * broker holds it (GET_CONSUMER_CONNECTION_LIST) and compares the table with its own subscriptions;
 * each distinct difference (topic, ours, theirs) is logged once as a WARN.
 *
 * <p>The broker keeps, per topic, the subscription of the newest subscriber, so of two members that
 * differ, the older one notices. A table read before this member's own heartbeat landed (its client id
 * not yet among the connections) is not compared.
 */
final class SubscriptionConflicts {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionConflicts.class);

    private final ConsumerSession session;
    private final long intervalMillis;
    /** Differences already logged, as topic, ours and theirs. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** When the last check was sent; the control thread only. The first comes one interval after start. */
    private long lastCheckMillis;

    SubscriptionConflicts(ConsumerSession session, Duration interval) {
        this.session = session;
        this.intervalMillis = interval.toMillis();
        this.lastCheckMillis = session.clock().millis();
    }

    /** Asks {@code brokerAddress} for the group's table if the last check is an interval old; answers compare later. */
    void checkIfDue(String brokerAddress) {
        long now = session.clock().millis();
        if (now - lastCheckMillis < intervalMillis) {
            return;
        }
        lastCheckMillis = now;
        session.requests().consumerConnections(brokerAddress, session.names().group()).whenCompleteAsync((group, error) -> {
            if (error != null) {
                log.debug("subscriptions of group {} at {} unknown for now: {}", session.names().group(), brokerAddress,
                        error.toString());
            } else {
                compare(group, brokerAddress);
            }
        }, session.callbackExecutor()); // not on the transport's thread
    }

    /** Logs each difference between {@code group}'s table and this member's subscriptions not logged before. */
    void compare(ConsumerConnectionBody group, String brokerAddress) {
        String self = session.client().clientId();
        if (!group.clientIds().contains(self)) {
            return;
        }
        Map<String, Subscription> ours = session.subscriptions();
        Map<String, Subscription> theirs = group.subscriptions();
        Set<String> topics = new LinkedHashSet<>(ours.keySet());
        topics.addAll(theirs.keySet());
        int differences = 0;
        for (String topic : topics) {
            Subscription mine = ours.get(topic);
            Subscription held = theirs.get(topic);
            if (selectsAlike(mine, held)) {
                continue;
            }
            differences++;
            String shownTopic = session.names().applicationTopic(topic);
            if (reported.add(topic + '\u0000' + describe(mine) + '\u0000' + describe(held))) {
                log.warn("consumer group {}: members subscribe differently to topic {}: this member ({}) {}, the group's"
                        + " subscription at broker {} {} (members {}). A broker shares a group's queues out among"
                        + " all its members and keeps one subscription per topic for the group, so messages only"
                        + " some members select are skipped by the others; give every member of a group the same"
                        + " subscriptions.", session.config().group(), shownTopic, self, describe(mine), brokerAddress,
                        describe(held), group.clientIds());
            }
        }
        log.debug("consumer group {}: member {} compared its subscriptions with broker {}: {} difference(s)",
                session.config().group(), self, brokerAddress, differences);
    }

    /** Whether two subscriptions select the same messages: the same tags (in any order and spacing), or the same SQL92 text. */
    static boolean selectsAlike(@Nullable Subscription a, @Nullable Subscription b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (!a.expressionType().equals(b.expressionType())) {
            return false;
        }
        if (Subscription.TAG.equals(a.expressionType())) {
            return Set.copyOf(a.tagsSet()).equals(Set.copyOf(b.tagsSet()));
        }
        return a.subString().trim().equals(b.subString().trim());
    }

    private static String describe(@Nullable Subscription subscription) {
        return subscription == null ? "does not subscribe to it"
                : "subscribes with " + subscription.expressionType() + " '" + subscription.subString() + "'";
    }
}
