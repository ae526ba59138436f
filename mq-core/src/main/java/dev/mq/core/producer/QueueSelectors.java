package dev.mq.core.producer;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.MessageQueue;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Ready-made {@link QueueSelector}s. */
public final class QueueSelectors {

    private QueueSelectors() {
    }

    /**
     * Same key, same queue: picks {@code queues[hash(arg) mod size]}. The key must not be null. As long
     * as the topic's queue layout does not change, every send with one key lands on one queue.
     */
    public static QueueSelector hash() {
        return new QueueSelector() {
            @Override
            public MessageQueue select(List<MessageQueue> queues, Message message, @Nullable Object arg) {
                return queues.get(Math.floorMod(hashKey(arg).hashCode(), queues.size()));
            }

            @Override
            public void checkArgument(@Nullable Object arg) {
                hashKey(arg);
            }

            @Override
            public String toString() {
                return "QueueSelectors.hash()";
            }
        };
    }

    /** Each call takes the next queue in turn. */
    public static QueueSelector roundRobin() {
        AtomicInteger next = new AtomicInteger();
        return (queues, message, arg) -> queues.get(Math.floorMod(next.getAndIncrement(), queues.size()));
    }

    /**
     * Always the given queue id on the first broker that has it (mainly for tests).
     *
     * @throws MQException VALIDATION for a negative id
     */
    public static QueueSelector queueId(int queueId) {
        if (queueId < 0) {
            throw MQException.validation("queue id " + queueId + " is negative: queue ids start at 0");
        }
        return (queues, message, arg) -> {
            for (MessageQueue q : queues) {
                if (q.queueId() == queueId) {
                    return q;
                }
            }
            throw MQException.validation("no queue with id " + queueId + " among " + queues.size() + " queues");
        };
    }

    private static Object hashKey(@Nullable Object arg) {
        if (arg == null) {
            throw MQException.validation("hash key is null: an orderly send needs a non-null hash key");
        }
        return arg;
    }
}
