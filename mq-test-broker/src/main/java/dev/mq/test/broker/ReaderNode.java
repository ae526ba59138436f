package dev.mq.test.broker;

import dev.mq.test.launcher.Node;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * Apache RocketMQ's own consumer, run here so that the test JVM needs no RocketMQ artifact: the
 * independent reader that proves what a producer wrote is what a RocketMQ consumer sees.
 *
 * <p>{@code READ nameServer topic expected timeoutMs [accessKey secretKey tls]} reads every queue from offset 0 with the
 * classic pull (request code 11, served by 4.x and 5.x brokers alike) until {@code expected}
 * messages arrived plus a short grace period that would reveal duplicates, or the time is up. The
 * reply is the count followed by one Base64 record per message. With {@code expected} 0 it reads a
 * snapshot: every queue to its current end.
 */
final class ReaderNode implements Node {

    private static final long POLL_MILLIS = 100;
    private static final long GRACE_MILLIS = 500;
    private static final int PULL_BATCH = 256;
    private static final long PULL_TIMEOUT_MILLIS = 3_000;

    @Override
    public void start() {
    }

    @Override
    public String handle(String[] command) throws Exception {
        return switch (command[0]) {
            case "READ" -> read(command[1], command[2], Integer.parseInt(command[3]), Long.parseLong(command[4]),
                    command.length > 5 ? command[5] : "-", command.length > 6 ? command[6] : "-",
                    command.length > 7 && Boolean.parseBoolean(command[7]));
            default -> Node.super.handle(command);
        };
    }

    @SuppressWarnings("deprecation") // the classic pull consumer is the one reader that works on 4.x and 5.x
    private String read(String nameServer, String topic, int expected, long timeoutMs, String accessKey,
                        String secretKey, boolean tls) throws Exception {
        String group = "mq-test-reader-" + UUID.randomUUID();
        DefaultMQPullConsumer consumer = accessKey.equals("-") ? new DefaultMQPullConsumer(group)
                : new DefaultMQPullConsumer(group, new AclClientRPCHook(new SessionCredentials(accessKey, secretKey)));
        consumer.setUseTLS(tls);
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
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            long graceEnd = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, graceEnd)) {
                boolean found = false;
                for (Map.Entry<MessageQueue, Long> queue : next.entrySet()) {
                    found |= pullOnce(consumer, queue, read);
                }
                if (expected <= 0 && !found) {
                    break; // a snapshot: every queue has been read to its end
                }
                if (read.size() >= expected && graceEnd == Long.MAX_VALUE) {
                    graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
                }
                if (!found) {
                    Thread.sleep(POLL_MILLIS);
                }
            }
        } finally {
            consumer.shutdown();
        }
        StringBuilder reply = new StringBuilder().append(read.size());
        for (MessageExt message : read) {
            reply.append(' ').append(encode(message));
        }
        return reply.toString();
    }

    @SuppressWarnings("deprecation")
    private static boolean pullOnce(DefaultMQPullConsumer consumer, Map.Entry<MessageQueue, Long> queue,
                                    List<MessageExt> read) throws InterruptedException {
        PullResult result;
        try {
            result = consumer.pull(queue.getKey(), "*", queue.getValue(), PULL_BATCH, PULL_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return false; // the queue's broker is down or not (yet) routable: try again next round
        }
        switch (result.getPullStatus()) {
            case FOUND -> {
                read.addAll(result.getMsgFoundList());
                queue.setValue(result.getNextBeginOffset());
                return true;
            }
            case OFFSET_ILLEGAL -> queue.setValue(result.getNextBeginOffset());
            default -> {
                // NO_NEW_MSG or NO_MATCHED_MSG: nothing more in this queue for now
            }
        }
        return false;
    }

    /** The record layout mq-test's {@code StoredMessage.decode} reads. */
    private static String encode(MessageExt m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + m.getBody().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeString(out, m.getTopic());
            writeString(out, m.getMsgId());
            writeString(out, m.getBrokerName());
            out.writeInt(m.getQueueId());
            out.writeLong(m.getQueueOffset());
            out.writeInt(m.getStoreSize());
            out.writeInt(m.getSysFlag());
            out.writeLong(m.getBornTimestamp());
            writeString(out, MessageDecoder.messageProperties2String(m.getProperties()));
            out.writeInt(m.getBody().length);
            out.write(m.getBody());
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(s == null ? -1 : utf8.length);
        out.write(utf8);
    }

    @Override
    public void shutdown() {
    }
}
