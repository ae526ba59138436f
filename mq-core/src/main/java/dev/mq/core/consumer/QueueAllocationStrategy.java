package dev.mq.core.consumer;

import dev.mq.core.MessageQueue;
import java.util.List;

/**
 * Decides which of a topic's queues one member of a clustering consumer group reads. Every member
 * computes its share alone, from the same inputs, so a group stays correct only while all members
 * run the same strategy: a different one leaves queues read twice or by nobody.
 */
@FunctionalInterface
public interface QueueAllocationStrategy {

    /**
     * The official client's default ("AVG", AllocateMessageQueueAveragely): sorted queues split into
     * contiguous runs over the sorted client ids. Our consumers and Apache's can share a group with it.
     */
    static QueueAllocationStrategy averagely() {
        return new AllocateAveragely();
    }

    /**
     * The queues {@code self} owns.
     *
     * @param allQueues every readable queue of one topic, in any order
     * @param clientIds the group's live members as the broker lists them, in any order
     * @param self this client's id
     * @return the owned queues; empty when {@code self} is not (yet) a listed member
     */
    List<MessageQueue> allocate(List<MessageQueue> allQueues, List<String> clientIds, String self);
}
