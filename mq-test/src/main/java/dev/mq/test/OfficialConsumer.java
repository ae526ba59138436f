package dev.mq.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * Reads a topic from the beginning with Apache RocketMQ's own consumer: the independent reader that
 * proves what a producer wrote is what a RocketMQ consumer sees (bodies decompressed, properties
 * parsed, ids as stored).
 *
 * <p>Needs {@code org.apache.rocketmq:rocketmq-client} on the test classpath.
 */
public final class OfficialConsumer {

    private static final long POLL_MILLIS = 200;
    /** After the expected count arrived, keep polling this long to catch duplicates. */
    private static final long GRACE_MILLIS = 500;

    private OfficialConsumer() {
    }

    /**
     * Reads every queue of {@code topic} from offset 0 until {@code expected} messages arrived (plus a
     * short grace period that would reveal duplicates) or {@code timeout} passed, and returns what
     * was read. The caller asserts on the result; this method never fails on a short count.
     */
    public static List<MessageExt> readAll(String nameServer, String topic, int expected, Duration timeout) {
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer("mq-test-reader-" + UUID.randomUUID());
        consumer.setNamesrvAddr(nameServer);
        consumer.setAutoCommit(false);
        consumer.setPollTimeoutMillis(POLL_MILLIS);
        consumer.setPullBatchSize(256);
        consumer.setInstanceName("mq-test-reader-" + UUID.randomUUID());
        List<MessageExt> read = new ArrayList<>();
        try {
            consumer.start();
            Collection<MessageQueue> queues = consumer.fetchMessageQueues(topic);
            consumer.assign(queues);
            for (MessageQueue queue : queues) {
                consumer.seekToBegin(queue);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            long graceEnd = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, graceEnd)) {
                read.addAll(consumer.poll(POLL_MILLIS));
                if (read.size() >= expected && graceEnd == Long.MAX_VALUE) {
                    graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
                }
            }
            return read;
        } catch (MQClientException e) {
            throw new IllegalStateException("official consumer could not read " + topic + " from " + nameServer, e);
        } finally {
            consumer.shutdown();
        }
    }
}
