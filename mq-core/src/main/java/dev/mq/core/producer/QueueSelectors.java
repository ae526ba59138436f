package dev.mq.core.producer;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Ready-made {@link QueueSelector}s. */
public final class QueueSelectors {

    private QueueSelectors() {
    }

    /**
     * Same key, same queue: picks {@code queues[hash(arg) mod size]}. The key must not be null. As long
     * as the topic's queue layout does not change, every send with one key lands on one queue.
     */
    public static QueueSelector hash() {
        return (queues, message, arg) -> {
            if (arg == null) {
                throw MQException.validation("an orderly send needs a non-null hash key");
            }
            return queues.get(Math.floorMod(arg.hashCode(), queues.size()));
        };
    }

    /** Each call takes the next queue in turn. */
    public static QueueSelector roundRobin() {
        AtomicInteger next = new AtomicInteger();
        return (queues, message, arg) -> queues.get(Math.floorMod(next.getAndIncrement(), queues.size()));
    }

    /** Always the given queue id on the first broker that has it (mainly for tests). */
    public static QueueSelector queueId(int queueId) {
        return (queues, message, arg) -> {
            for (MessageQueue q : queues) {
                if (q.queueId() == queueId) {
                    return q;
                }
            }
            throw MQException.validation("no queue with id " + queueId + " among " + queues.size() + " queues");
        };
    }
}
