package dev.mq.core.consumer;

import dev.mq.core.MessageQueue;
import java.util.Map;

/**
 * A consumer's state at one moment, read without stopping it: what it holds in memory and how far
 * behind each of its queues is. The values of different queues are read one after the other, not
 * at one instant.
 *
 * @param group            the consumer group (without a namespace)
 * @param state            the consumer's lifecycle state
 * @param paused           whether pulling is paused by the application
 * @param cachedMessages   messages pulled and not yet finished, over all queues
 * @param cachedBytes      their body bytes
 * @param inFlightHandlers listener calls running now
 * @param queues           each assigned queue's figures
 */
public record ConsumerStats(String group, ConsumerState state, boolean paused, long cachedMessages, long cachedBytes,
                            int inFlightHandlers, Map<MessageQueue, QueueStats> queues) {

    public ConsumerStats {
        queues = Map.copyOf(queues);
    }

    /** How many messages the group has yet to consume from its assigned queues; unknown queues count 0. */
    public long lag() {
        return queues.values().stream().mapToLong(QueueStats::lag).sum();
    }

    /**
     * One assigned queue.
     *
     * @param committedOffset  the offset consumption resumes from (everything below is finished), or -1 before it is known
     * @param brokerMaxOffset  the queue's end as the broker last reported it, or -1 before the first pull
     * @param cachedMessages   messages pulled and not yet finished
     * @param cachedBytes      their body bytes
     * @param inFlightHandlers listener calls running for this queue
     */
    public record QueueStats(long committedOffset, long brokerMaxOffset, long cachedMessages, long cachedBytes,
                             int inFlightHandlers) {

        /** Messages between the committed offset and the broker's end; 0 while either is unknown. */
        public long lag() {
            return committedOffset < 0 || brokerMaxOffset < 0 ? 0 : Math.max(0, brokerMaxOffset - committedOffset);
        }
    }
}
