package dev.mq.core.internal.consume;

import dev.mq.core.MessageQueue;
import java.util.List;

/**
 * Decides which of a topic's queues one member of a consumer group reads. Every member computes
 * its share alone, from the same inputs, so a group stays correct only while all members run the
 * same strategy: a different one leaves queues read twice or by nobody.
 */
public interface QueueAllocation {

    /**
     * The queues {@code self} owns.
     *
     * @param allQueues every readable queue of one topic, in any order
     * @param clientIds the group's live members as the broker lists them, in any order
     * @param self this client's id
     * @return the owned queues in sorted queue order; empty when {@code self} is not (yet) a listed member
     */
    List<MessageQueue> allocate(List<MessageQueue> allQueues, List<String> clientIds, String self);
}
