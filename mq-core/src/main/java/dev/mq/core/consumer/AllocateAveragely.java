package dev.mq.core.consumer;

import dev.mq.core.MessageQueue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The official client's default allocation ("AVG", AllocateMessageQueueAveragely), reproduced
 * exactly so that our consumers and Apache's can share one group: queues sorted by topic, broker
 * name and queue id, client ids sorted as Java Strings (so {@code c10} sorts before {@code c2}),
 * then each member takes one contiguous run; the first {@code n mod m} members take one queue more.
 *
 * <p>Client ids are not de-duplicated: the official client uses the broker's list as it is and
 * takes the first position of its own id, and so must we, or the two would disagree on who owns
 * what whenever the broker lists an id twice.
 */
final class AllocateAveragely implements QueueAllocationStrategy {

    /** The official client's {@code MessageQueue.compareTo}: topic, then broker name, then queue id. */
    static final Comparator<MessageQueue> QUEUE_ORDER = Comparator.comparing(MessageQueue::topic)
            .thenComparing(MessageQueue::brokerName)
            .thenComparingInt(MessageQueue::queueId);

    @Override
    public List<MessageQueue> allocate(List<MessageQueue> allQueues, List<String> clientIds, String self) {
        Objects.requireNonNull(self, "self");
        // A set, as the official client's topic queue table is: a queue listed twice is one queue.
        TreeSet<MessageQueue> sorted = new TreeSet<>(QUEUE_ORDER);
        sorted.addAll(allQueues);
        List<MessageQueue> queues = new ArrayList<>(sorted);
        List<String> clients = new ArrayList<>(clientIds);
        clients.sort(Comparator.naturalOrder());
        int index = clients.indexOf(self);
        if (index < 0 || queues.isEmpty()) {
            return List.of();
        }
        int n = queues.size();
        int m = clients.size();
        int base = n / m;
        int extra = n % m;
        // With n <= m this gives index i queue i (base 0, extra n for i < n) and nothing past n.
        int count = index < extra ? base + 1 : base;
        int first = index * base + Math.min(index, extra);
        return List.copyOf(queues.subList(first, first + count));
    }
}
