package dev.mq.core.internal.protocol;

import java.util.Objects;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The PULL_MESSAGE header. Every field the broker's header class marks required is always sent:
 * brokers do not enforce them but fail later with a SYSTEM_ERROR when one is missing.
 *
 * @param queueOffset the next offset to fetch (the previous answer's {@code nextBeginOffset})
 * @param maxMsgNums how many messages at most (the official client asks 32)
 * @param sysFlag {@link PullSysFlag} bits
 * @param commitOffset the group's in-memory offset for the queue, read by the broker only with
 *     {@link PullSysFlag#COMMIT_OFFSET}
 * @param suspendTimeoutMillis how long the broker may hold the request (15 000 in the official client)
 * @param subscription the expression, sent only with {@link PullSysFlag#SUBSCRIPTION}
 * @param subVersion the subscription's version stamp, compared with the heartbeat-registered one
 * @param expressionType {@code TAG} or {@code SQL92}; absent means TAG
 * @param brokerName the target broker's name (4.9.5+ and 5.x clients send it as {@code bname})
 */
public record PullMessageRequestHeader(String consumerGroup, String topic, int queueId, long queueOffset,
                                       int maxMsgNums, int sysFlag, long commitOffset, long suspendTimeoutMillis,
                                       @Nullable String subscription, long subVersion,
                                       @Nullable String expressionType, @Nullable String brokerName)
        implements RequestFields {

    public PullMessageRequestHeader {
        Objects.requireNonNull(consumerGroup, "consumerGroup");
        Objects.requireNonNull(topic, "topic");
        // The flag promises the broker a subscription; without one it fails to parse a null expression.
        if (PullSysFlag.hasSubscription(sysFlag) && subscription == null) {
            throw new IllegalArgumentException("sysFlag has SUBSCRIPTION but no subscription is given");
        }
    }

    @Override
    public void writeFields(BiConsumer<String, String> sink) {
        sink.accept("consumerGroup", consumerGroup);
        sink.accept("topic", topic);
        sink.accept("queueId", Integer.toString(queueId));
        sink.accept("queueOffset", Long.toString(queueOffset));
        sink.accept("maxMsgNums", Integer.toString(maxMsgNums));
        sink.accept("sysFlag", Integer.toString(sysFlag));
        sink.accept("commitOffset", Long.toString(commitOffset));
        sink.accept("suspendTimeoutMillis", Long.toString(suspendTimeoutMillis));
        if (subscription != null) {
            sink.accept("subscription", subscription);
        }
        sink.accept("subVersion", Long.toString(subVersion));
        if (expressionType != null) {
            sink.accept("expressionType", expressionType);
        }
        if (brokerName != null) {
            sink.accept("bname", brokerName);
        }
    }
}
