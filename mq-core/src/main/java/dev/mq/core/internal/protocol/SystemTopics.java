package dev.mq.core.internal.protocol;

/** Topics that RocketMQ itself defines, and the conventions for naming them. */
public final class SystemTopics {

    /** RocketMQ's auto-create template topic: brokers that offer it create a new topic on its first send. */
    public static final String AUTO_CREATE_TEMPLATE = "TBW102";
    /** Queues per broker for a topic created from the template (RocketMQ's {@code defaultTopicQueueNums}). */
    public static final int AUTO_CREATE_QUEUES = 4;

    private SystemTopics() {
    }
}
