package dev.mq.core.internal.protocol;

import dev.mq.core.MessageQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The JSON bodies of LOCK_BATCH_MQ and UNLOCK_BATCH_MQ, which orderly consumers use to own a queue
 * exclusively. Request (both codes):
 * {@code {"clientId":"…","consumerGroup":"CG","mqSet":[{"brokerName":"b","queueId":1,"topic":"T"}]}};
 * lock answer: {@code {"lockOKMQSet":[…]}}, the queues now held by this client.
 *
 * <p>5.x's {@code onlyThisBroker} is left out: 4.9 does not know it and its default (false) is what
 * a request naming only this broker's queues means anyway.
 */
public final class LockBatchBody {

    private LockBatchBody() {
    }

    /** The request body locking (or unlocking) {@code queues} for {@code clientId} in {@code group}. */
    public static byte[] encodeRequest(String clientId, String group, Collection<MessageQueue> queues) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(group, "group");
        List<Queue> mqSet = new ArrayList<>(queues.size());
        for (MessageQueue queue : queues) {
            mqSet.add(new Queue(queue.brokerName(), queue.queueId(), queue.topic()));
        }
        return ProtocolJson.MAPPER.writeValueAsBytes(new Request(clientId, group, mqSet));
    }

    /**
     * The queues a lock answer says this client now holds; empty when the body is empty or lists
     * none (another client holds them).
     *
     * @throws IllegalArgumentException if the body is not JSON of that shape, or a queue lacks its topic or broker
     */
    public static Set<MessageQueue> decodeLocked(byte @Nullable [] body) {
        if (body == null || body.length == 0) {
            return Set.of();
        }
        Answer answer;
        try {
            answer = ProtocolJson.MAPPER.readValue(body, Answer.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a lock answer: " + e.getMessage(), e);
        }
        List<@Nullable AnswerQueue> locked = answer.lockOKMQSet();
        if (locked == null) {
            return Set.of();
        }
        Set<MessageQueue> queues = new LinkedHashSet<>();
        for (AnswerQueue q : locked) {
            if (q == null || q.topic() == null || q.brokerName() == null) {
                throw new IllegalArgumentException("lock answer holds an incomplete queue: " + q);
            }
            queues.add(new MessageQueue(q.topic(), q.brokerName(), q.queueId()));
        }
        return Set.copyOf(queues);
    }

    /** A lock or unlock request as a broker reads it; for fake brokers and tools. */
    public record LockRequest(String clientId, String consumerGroup, Set<MessageQueue> queues) {
    }

    /**
     * Reads a lock or unlock request body; for fake brokers and tools.
     *
     * @throws IllegalArgumentException if the body is not JSON of that shape
     */
    public static LockRequest decodeRequest(byte[] body) {
        ParsedRequest parsed;
        try {
            parsed = ProtocolJson.MAPPER.readValue(body, ParsedRequest.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a lock request: " + e.getMessage(), e);
        }
        if (parsed.clientId() == null || parsed.consumerGroup() == null) {
            throw new IllegalArgumentException("lock request lacks its client id or group");
        }
        Set<MessageQueue> queues = new LinkedHashSet<>();
        List<@Nullable AnswerQueue> mqSet = parsed.mqSet();
        if (mqSet != null) {
            for (AnswerQueue q : mqSet) {
                if (q == null || q.topic() == null || q.brokerName() == null) {
                    throw new IllegalArgumentException("lock request holds an incomplete queue: " + q);
                }
                queues.add(new MessageQueue(q.topic(), q.brokerName(), q.queueId()));
            }
        }
        return new LockRequest(parsed.clientId(), parsed.consumerGroup(), queues);
    }

    /** A lock answer naming {@code locked}, as a broker writes it; for fake brokers and tools. */
    public static byte[] encodeLocked(Collection<MessageQueue> locked) {
        List<Queue> queues = new ArrayList<>(locked.size());
        for (MessageQueue queue : locked) {
            queues.add(new Queue(queue.brokerName(), queue.queueId(), queue.topic()));
        }
        return ProtocolJson.MAPPER.writeValueAsBytes(new LockedAnswer(queues));
    }

    private record ParsedRequest(@Nullable String clientId, @Nullable String consumerGroup,
                                 @Nullable List<@Nullable AnswerQueue> mqSet) {
    }

    private record LockedAnswer(List<Queue> lockOKMQSet) {
    }

    // Keys in the order fastjson writes them (alphabetical), so captures compare byte for byte.
    private record Request(String clientId, String consumerGroup, List<Queue> mqSet) {
    }

    private record Queue(String brokerName, int queueId, String topic) {
    }

    private record Answer(@Nullable List<@Nullable AnswerQueue> lockOKMQSet) {
    }

    private record AnswerQueue(@Nullable String brokerName, int queueId, @Nullable String topic) {
    }
}
