package dev.mq.core;

import java.util.Objects;

/**
 * One queue of a topic on one broker.
 *
 * @param topic      the topic
 * @param brokerName the broker (master) hosting the queue
 * @param queueId    the queue's index on that broker
 */
public record MessageQueue(String topic, String brokerName, int queueId) {

    public MessageQueue {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(brokerName, "brokerName");
    }

    @Override
    public String toString() {
        return topic + "@" + brokerName + "#" + queueId;
    }
}
