package dev.mq.benchmarks.official;

import dev.mq.benchmarks.harness.BenchConsumer;
import dev.mq.benchmarks.harness.MessageSpec;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Apache's {@link DefaultMQPushConsumer} with its default settings: concurrent consumption on 20
 * threads, 32 messages per pull, one message per listener call.
 */
public final class OfficialConsumer implements BenchConsumer {

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

    @Override
    public void close() {
        if (consumer != null) {
            consumer.shutdown();
        }
    }
}
