package dev.mq.benchmarks.official;

import java.util.Set;
import java.util.UUID;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * Counts what a topic holds by asking the broker, through Apache's own client, for the max offset of
 * each of its queues: on a fresh topic their sum is the number of messages stored.
 */
@SuppressWarnings("deprecation") // DefaultMQPullConsumer is deprecated but still the plain way to ask for offsets
public final class StoredCounter implements AutoCloseable {

    /** The count must stay the same this long before a short count is believed. */
    private static final long STABLE_MILLIS = 1_500;

    private final DefaultMQPullConsumer consumer;

    public StoredCounter(String nameServer) throws MQClientException {
        String name = "bench-checker-" + UUID.randomUUID();
        consumer = new DefaultMQPullConsumer(name);
        consumer.setNamesrvAddr(nameServer);
        consumer.setInstanceName(name);
        consumer.start();
    }

    public long stored(String topic) throws Exception {
        Set<MessageQueue> queues = consumer.fetchSubscribeMessageQueues(topic);
        long total = 0;
        for (MessageQueue queue : queues) {
            total += consumer.maxOffset(queue);
        }
        return total;
    }

    /**
     * Polls until {@code topic} holds at least {@code expected} messages, or its count stopped moving
     * for a while, or {@code timeoutMillis} passed; returns the last count. The broker indexes a
     * message shortly after acknowledging it, so the first look may be short.
     */
    public long awaitStored(String topic, long expected, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long last = -1;
        long lastChange = System.currentTimeMillis();
        while (true) {
            long now = stored(topic);
            if (now >= expected) {
                return now;
            }
            if (now != last) {
                last = now;
                lastChange = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - lastChange > STABLE_MILLIS || System.currentTimeMillis() > deadline) {
                return now;
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        consumer.shutdown();
    }
}
