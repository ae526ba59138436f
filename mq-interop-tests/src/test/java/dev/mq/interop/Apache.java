package dev.mq.interop;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel;

/**
 * Apache RocketMQ's own producer and push consumer, in this JVM, as independent parties of a test:
 * each with an instance name of its own, so that they never share an Apache client instance with
 * another party of the same test.
 */
final class Apache {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private Apache() {
    }

    /** A started producer of {@code group}: sync sends wait up to 10 s (a cold broker on two cores is slow). */
    static DefaultMQProducer producer(String nameServer, String group) throws MQClientException {
        DefaultMQProducer producer = new DefaultMQProducer(group);
        producer.setNamesrvAddr(nameServer);
        producer.setInstanceName("apache-producer-" + INSTANCES.incrementAndGet());
        producer.setSendMsgTimeout(10_000);
        producer.setRetryTimesWhenSendFailed(4);
        producer.start();
        return producer;
    }

    /**
     * A push consumer of {@code group} (clustering, averagely, from the first offset for a new group)
     * subscribed to {@code topic}; not started, so the caller may change settings first.
     */
    static DefaultMQPushConsumer pushConsumer(String nameServer, String group, String topic,
                                             MessageListenerConcurrently listener) throws MQClientException {
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
        consumer.setNamesrvAddr(nameServer);
        consumer.setInstanceName("apache-consumer-" + INSTANCES.incrementAndGet());
        consumer.setMessageModel(MessageModel.CLUSTERING);
        consumer.setAllocateMessageQueueStrategy(new AllocateMessageQueueAveragely());
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPersistConsumerOffsetInterval(1000);
        consumer.setPollNameServerInterval(1000);
        consumer.setHeartbeatBrokerInterval(1000);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener(listener);
        return consumer;
    }

    /** The queues of {@code topic} that {@code consumer} pulls now, by its own rebalance, as our {@link dev.mq.core.MessageQueue}. */
    static Set<dev.mq.core.MessageQueue> ownedQueues(DefaultMQPushConsumer consumer, String topic) {
        return consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().entrySet().stream()
                .filter(e -> !e.getValue().isDropped())
                .map(Map.Entry::getKey)
                .filter(mq -> mq.getTopic().equals(topic))
                .map(Apache::ours)
                .collect(Collectors.toSet());
    }

    static dev.mq.core.MessageQueue ours(MessageQueue mq) {
        return new dev.mq.core.MessageQueue(mq.getTopic(), mq.getBrokerName(), mq.getQueueId());
    }
}
