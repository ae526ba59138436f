package dev.mq.core.internal.consume;

import dev.mq.core.MessageQueue;
import org.jspecify.annotations.Nullable;

/**
 * How a consumer's names travel: with a namespace {@code ns}, topics as {@code ns%topic}, the group
 * as {@code ns%group}, its retry topic as {@code %RETRY%ns%group} and its dead-letter topic as
 * {@code %DLQ%ns%group} (the official client's form, so both clients share one group's topics). The
 * application sees every name without the namespace.
 */
public final class WireNames {

    /** Prefix of a group's retry topic. */
    public static final String RETRY_PREFIX = "%RETRY%";
    /** Prefix of a group's dead-letter topic. */
    public static final String DLQ_PREFIX = "%DLQ%";

    private final @Nullable String namespace;
    private final String group;

    public WireNames(@Nullable String namespace, String group) {
        this.namespace = namespace;
        this.group = group;
    }

    /** The group as it travels. */
    public String group() {
        return wrap(group);
    }

    /** The group's retry topic as it travels. */
    public String retryTopic() {
        return RETRY_PREFIX + group();
    }

    /** The group's dead-letter topic as it travels. */
    public String deadLetterTopic() {
        return DLQ_PREFIX + group();
    }

    /** The group's retry topic as the application sees it ({@code %RETRY%group}). */
    public String applicationRetryTopic() {
        return RETRY_PREFIX + group;
    }

    /** {@code topic} as it travels. */
    public String topic(String topic) {
        return wrap(topic);
    }

    /** {@code wireTopic} as the application sees it: the retry topic loses its namespace too. */
    public String applicationTopic(String wireTopic) {
        if (wireTopic.equals(retryTopic())) {
            return applicationRetryTopic();
        }
        if (namespace != null && wireTopic.startsWith(namespace + "%")) {
            return wireTopic.substring(namespace.length() + 1);
        }
        return wireTopic;
    }

    /** {@code wireQueue} as the application sees it. */
    public MessageQueue applicationQueue(MessageQueue wireQueue) {
        return new MessageQueue(applicationTopic(wireQueue.topic()), wireQueue.brokerName(), wireQueue.queueId());
    }

    public boolean isRetryTopic(String wireTopic) {
        return wireTopic.equals(retryTopic());
    }

    private String wrap(String name) {
        return namespace == null ? name : namespace + "%" + name;
    }
}
