package dev.mq.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * Reads a topic from the beginning with Apache RocketMQ's own consumer: the independent reader that
 * proves what a producer wrote is what a RocketMQ consumer sees (bodies decompressed, properties
 * parsed, ids as stored).
 *
 * <p>It pulls with the classic pull request (code 11), which RocketMQ 4.x and 5.x brokers both
 * serve. The 5.x {@code DefaultLitePullConsumer} sends the newer lite pull (code 361) instead, which a
 * 4.9 broker answers with "request type 361 not supported" — an error that consumer only logs, so it
 * would read nothing from a {@link RocketMQVersion#V4_9} broker without failing.
 *
 * <p>Needs {@code org.apache.rocketmq:rocketmq-client} on the test classpath.
 */
public final class OfficialConsumer {

    private static final long POLL_MILLIS = 200;
    /** After the expected count arrived, keep polling this long to catch duplicates. */
    private static final long GRACE_MILLIS = 500;
    private static final int PULL_BATCH = 256;
    private static final long PULL_TIMEOUT_MILLIS = 3_000;

    private OfficialConsumer() {
    }

    /**
     * Reads every queue of {@code topic} from offset 0 until {@code expected} messages arrived (plus a
     * short grace period that would reveal duplicates) or {@code timeout} passed, and returns what
     * was read. The caller asserts on the result; this method never fails on a short count. A queue
     * whose broker cannot be reached is retried until the time is up.
     */
    public static List<MessageExt> readAll(String nameServer, String topic, int expected, Duration timeout) {
        return readUntil(nameServer, topic, read -> read.size() >= expected, timeout);
    }

    /**
     * Reads every queue of {@code topic} from offset 0 until {@code complete} holds for what was read
     * (plus the same short grace period as {@link #readAll}) or {@code timeout} passed, and returns what
     * was read. Use it when the number of stored messages is not known in advance — after a fault,
     * a retried send may have been stored twice — but the messages that must be there are: for
     * example "every acknowledged body has been read".
     */
    @SuppressWarnings("deprecation") // the classic pull consumer is the one reader that works on 4.x and 5.x
    public static List<MessageExt> readUntil(String nameServer, String topic, Predicate<List<MessageExt>> complete,
                                             Duration timeout) {
        DefaultMQPullConsumer consumer = new DefaultMQPullConsumer("mq-test-reader-" + UUID.randomUUID());
        consumer.setNamesrvAddr(nameServer);
        consumer.setInstanceName("mq-test-reader-" + UUID.randomUUID());
        List<MessageExt> read = new ArrayList<>();
        try {
            consumer.start();
            Set<MessageQueue> queues = consumer.fetchSubscribeMessageQueues(topic);
            Map<MessageQueue, Long> next = new LinkedHashMap<>();
            for (MessageQueue queue : queues) {
                next.put(queue, 0L);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            long graceEnd = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, graceEnd)) {
                boolean found = false;
                for (Map.Entry<MessageQueue, Long> queue : next.entrySet()) {
                    found |= pullOnce(consumer, queue, read);
                }
                if (graceEnd == Long.MAX_VALUE && complete.test(Collections.unmodifiableList(read))) {
                    graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
                }
                if (!found) {
                    Thread.sleep(POLL_MILLIS);
                }
            }
            return read;
        } catch (MQClientException e) {
            throw new IllegalStateException("official consumer could not read " + topic + " from " + nameServer, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return read;
        } finally {
            consumer.shutdown();
        }
    }

    /** One non-blocking pull from the queue's next offset; true if it returned messages. */
    @SuppressWarnings("deprecation")
    private static boolean pullOnce(DefaultMQPullConsumer consumer, Map.Entry<MessageQueue, Long> queue,
                                    List<MessageExt> read) throws InterruptedException {
        PullResult result;
        try {
            result = consumer.pull(queue.getKey(), "*", queue.getValue(), PULL_BATCH, PULL_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // The queue's broker is down or not (yet) in the route: try again next round.
            return false;
        }
        switch (result.getPullStatus()) {
            case FOUND -> {
                read.addAll(result.getMsgFoundList());
                queue.setValue(result.getNextBeginOffset());
                return true;
            }
            case OFFSET_ILLEGAL -> queue.setValue(result.getNextBeginOffset());
            default -> {
                // NO_NEW_MSG or NO_MATCHED_MSG: nothing more in this queue for now.
            }
        }
        return false;
    }
}
