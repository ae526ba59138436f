package dev.mq.core.consumer;

/** How the members of a consumer group share a topic. */
public enum MessageModel {

    /**
     * The group's members share the topic's queues: each message is consumed by one member. The
     * group's offsets live on the brokers, so members may come and go.
     */
    CLUSTERING,

    /**
     * Every member consumes every message. Each member keeps its own offsets in a local file
     * ({@link ConsumerConfig#offsetStoreDirectory()}); failed messages are not retried.
     */
    BROADCASTING
}
