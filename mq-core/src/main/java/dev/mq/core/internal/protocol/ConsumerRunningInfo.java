package dev.mq.core.internal.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mq.core.MessageQueue;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The body answering GET_CONSUMER_RUNNING_INFO: what {@code mqadmin consumerStatus},
 * {@code consumerProgress} and the dashboard show about one client of a group. fastjson's shape,
 * written by hand because its {@code mqTable} is keyed by queue objects:
 * <pre>{@code
 * {"jstack":"…","mqTable":{{"brokerName":"b","queueId":0,"topic":"T"}:{"cachedMsgCount":0,…,"commitOffset":42,…}},
 *  "properties":{"PROP_CONSUME_TYPE":"CONSUME_PASSIVELY",…},
 *  "statusTable":{"T":{"consumeFailedMsgs":0,"consumeFailedTPS":0.0,…}},"subscriptionSet":[{…}]}
 * }</pre>
 * The admin tool reads {@code properties} ({@link #CONSUME_TYPE}, {@link #START_TIMESTAMP} and
 * {@link #CONSUME_ORDERLY} in its checks), {@code subscriptionSet} (compared across the group's
 * members), {@code mqTable} (offsets and caches per queue), {@code statusTable} and {@code jstack}.
 *
 * @param properties    free-form settings; keys as the official client names them where one exists
 * @param subscriptions the group's subscriptions, retry topic included (as in the heartbeat)
 * @param queues        the queues this client holds, with their state
 * @param status        per topic, consumption rates
 * @param jstack        a thread dump, when the administrator asked for one
 */
public record ConsumerRunningInfo(Map<String, String> properties, List<HeartbeatBody.Subscription> subscriptions,
                                  Map<MessageQueue, QueueInfo> queues, Map<String, TopicStatus> status,
                                  @Nullable String jstack) {

    /** {@code CONSUME_PASSIVELY} for push consumers, {@code CONSUME_ACTIVELY} for pull consumers. */
    public static final String CONSUME_TYPE = "PROP_CONSUME_TYPE";
    /** The consumer's start time, epoch millis as a string. */
    public static final String START_TIMESTAMP = "PROP_CONSUMER_START_TIMESTAMP";
    /** {@code "true"} for an orderly consumer. */
    public static final String CONSUME_ORDERLY = "PROP_CONSUMEORDERLY";
    public static final String THREADPOOL_CORE_SIZE = "PROP_THREADPOOL_CORE_SIZE";
    public static final String NAMESERVER_ADDR = "PROP_NAMESERVER_ADDR";
    public static final String CLIENT_VERSION = "PROP_CLIENT_VERSION";

    /** Queues in the official client's order (topic, broker, queue id), as its TreeMap lists them. */
    private static final Comparator<MessageQueue> QUEUE_ORDER = Comparator.comparing(MessageQueue::topic)
            .thenComparing(MessageQueue::brokerName).thenComparingInt(MessageQueue::queueId);

    public ConsumerRunningInfo {
        properties = Map.copyOf(properties);
        subscriptions = List.copyOf(subscriptions);
        queues = Map.copyOf(queues);
        status = Map.copyOf(status);
    }

    /** The same with {@code jstack} set. */
    public ConsumerRunningInfo withJstack(String dump) {
        return new ConsumerRunningInfo(properties, subscriptions, queues, status, Objects.requireNonNull(dump));
    }

    /** The body, in fastjson's dialect (keys alphabetical, queue objects as map keys). */
    public byte[] encode() {
        StringBuilder out = new StringBuilder(256 + 320 * queues.size());
        out.append('{');
        if (jstack != null) {
            out.append("\"jstack\":").append(FastjsonWriter.json(jstack)).append(',');
        }
        out.append("\"mqTable\":{");
        String separator = "";
        Map<MessageQueue, QueueInfo> sorted = new TreeMap<>(QUEUE_ORDER);
        sorted.putAll(queues);
        for (Map.Entry<MessageQueue, QueueInfo> e : sorted.entrySet()) {
            out.append(separator);
            FastjsonWriter.queueKey(out, e.getKey());
            out.append(':').append(FastjsonWriter.json(e.getValue()));
            separator = ",";
        }
        out.append("},\"properties\":").append(FastjsonWriter.json(new TreeMap<>(properties)))
                .append(",\"statusTable\":").append(FastjsonWriter.json(new TreeMap<>(status)))
                .append(",\"subscriptionSet\":").append(FastjsonWriter.json(subscriptions))
                .append('}');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * One queue's state ({@code ProcessQueueInfo}).
     *
     * @param commitOffset     the offset recorded as finished (next to consume)
     * @param cachedSizeInMiB  the cached bodies' size, whole MiB
     * @param locked           an orderly queue's lock is held
     * @param dropped          the queue is being given up (sent as fastjson's {@code droped})
     */
    // Components in fastjson's (alphabetical) key order, so bodies compare byte for byte.
    public record QueueInfo(int cachedMsgCount, long cachedMsgMaxOffset, long cachedMsgMinOffset,
                            @JsonProperty("cachedMsgSizeInMiB") int cachedSizeInMiB, long commitOffset,
                            @JsonProperty("droped") boolean dropped, long lastConsumeTimestamp, long lastLockTimestamp,
                            long lastPullTimestamp, boolean locked, int transactionMsgCount,
                            long transactionMsgMaxOffset, long transactionMsgMinOffset, long tryUnlockTimes) {

        /** A queue's state without the fields only the official client's transactional consumption uses. */
        public static QueueInfo of(long commitOffset, long cachedMsgMinOffset, long cachedMsgMaxOffset,
                                   int cachedMsgCount, long cachedBytes, boolean locked, long lastLockTimestamp,
                                   boolean dropped, long lastPullTimestamp, long lastConsumeTimestamp) {
            return new QueueInfo(cachedMsgCount, cachedMsgMaxOffset, cachedMsgMinOffset,
                    (int) (cachedBytes / (1024 * 1024)), commitOffset, dropped, lastConsumeTimestamp,
                    lastLockTimestamp, lastPullTimestamp, locked, 0, 0, 0, 0);
        }
    }

    /**
     * One topic's rates ({@code ConsumeStatus}): per second, response times in milliseconds.
     *
     * @param consumeFailedMsgs failed messages in the last hour (the official meaning)
     */
    public record TopicStatus(long consumeFailedMsgs, @JsonProperty("consumeFailedTPS") double consumeFailedTPS,
                              @JsonProperty("consumeOKTPS") double consumeOKTPS,
                              @JsonProperty("consumeRT") double consumeRT, @JsonProperty("pullRT") double pullRT,
                              @JsonProperty("pullTPS") double pullTPS) {
    }
}
