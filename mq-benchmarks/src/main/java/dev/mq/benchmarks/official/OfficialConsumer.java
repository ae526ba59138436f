package dev.mq.benchmarks.official;

import dev.mq.benchmarks.harness.BenchConsumer;
import dev.mq.benchmarks.harness.MessageSpec;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.impl.consumer.ProcessQueue;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Apache's {@link DefaultMQPushConsumer} with its default settings: concurrent consumption on 20
 * threads, 32 messages per pull, one message per listener call.
 */
public final class OfficialConsumer implements BenchConsumer {

    private static final long MIB = 1024 * 1024;

    private DefaultMQPushConsumer consumer;

    @Override
    public void start(String nameServer, String group, String topic, Sink sink) throws Exception {
        consumer = new DefaultMQPushConsumer(group);
        consumer.setNamesrvAddr(nameServer);
        consumer.setInstanceName(group);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (messages, context) -> {
            for (MessageExt m : messages) {
                sink.consumed(m.getQueueId(), m.getQueueOffset(), m.getUserProperty(MessageSpec.SENT_AT_PROPERTY));
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
    }

    /**
     * Summed over the queues it holds; its caps are per queue ({@code pullThresholdForQueue} messages,
     * {@code pullThresholdSizeForQueue} MiB), and by default none for the whole topic.
     */
    @Override
    public Cache cache() {
        long messages = 0;
        long bytes = 0;
        int queues = 0;
        for (ProcessQueue queue : consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().values()) {
            if (queue.isDropped()) {
                continue;
            }
            queues++;
            messages += queue.getMsgCount().get();
            bytes += queue.getMsgSize().get();
        }
        long capMessages = consumer.getPullThresholdForTopic() > 0 ? consumer.getPullThresholdForTopic()
                : (long) consumer.getPullThresholdForQueue() * queues;
        long capBytes = consumer.getPullThresholdSizeForTopic() > 0 ? consumer.getPullThresholdSizeForTopic() * MIB
                : consumer.getPullThresholdSizeForQueue() * MIB * queues;
        return new Cache(messages, bytes, capMessages, capBytes, "per_queue_x" + queues);
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.shutdown();
        }
    }
}
