package dev.mq.benchmarks.ours;

import dev.mq.benchmarks.harness.BenchConsumer;
import dev.mq.benchmarks.harness.MessageSpec;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.ConsumerStats;
import dev.mq.core.consumer.MessageListener;
import dev.mq.core.consumer.PushConsumer;

/** mq-core's push consumer with the {@link ConsumerConfig} defaults, on a client instance of its own. */
public final class OursConsumer implements BenchConsumer {

    private MQClientInstance client;
    private PushConsumer consumer;

    @Override
    public void start(String nameServer, String group, String topic, Sink sink) {
        client = MQClientInstance.builder().nameServer(nameServer).instanceName(group).build();
        client.start();
        MessageListener listener = message -> {
            sink.consumed(message.queue().queueId(), message.queueOffset(), message.property(MessageSpec.SENT_AT_PROPERTY));
            return ConsumeResult.SUCCESS;
        };
        consumer = client.newPushConsumer(ConsumerConfig.builder().group(group).subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.FIRST_OFFSET).build(), listener);
        consumer.start();
    }

    @Override
    public Cache cache() {
        ConsumerStats stats = consumer.stats();
        return new Cache(stats.cachedMessages(), stats.cachedBytes(), ConsumerConfig.DEFAULT_MAX_CACHED_MESSAGES,
                ConsumerConfig.DEFAULT_MAX_CACHED_BYTES, "whole_consumer");
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
