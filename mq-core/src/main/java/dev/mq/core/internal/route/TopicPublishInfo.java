package dev.mq.core.internal.route;

import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.BrokerData;
import dev.mq.core.internal.protocol.PermName;
import dev.mq.core.internal.protocol.QueueData;
import dev.mq.core.internal.protocol.TopicRouteData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The writable queues of one topic and the master address of each broker hosting them, built from
 * a NameServer route. Immutable except for the rotating start index of queue selection.
 */
public final class TopicPublishInfo {

    private final String topic;
    private final List<MessageQueue> queues;
    private final List<MessageQueue> readQueues;
    private final Map<String, String> masters;
    private final boolean viaDefaultTopic;
    private final AtomicInteger next = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16));

    private TopicPublishInfo(String topic, List<MessageQueue> queues, List<MessageQueue> readQueues,
                             Map<String, String> masters, boolean viaDefaultTopic) {
        this.topic = topic;
        this.queues = List.copyOf(queues);
        this.readQueues = List.copyOf(readQueues);
        this.masters = Map.copyOf(masters);
        this.viaDefaultTopic = viaDefaultTopic;
    }

    /**
     * Builds the publish view of {@code topic} from {@code route}: an {@code orderTopicConf} wins;
     * otherwise, in broker-name order, {@code writeQueueNums} queues of every broker whose queue
     * entry is writable and that has a master.
     *
     * @param maxQueuesPerBroker caps the queues per broker (used with the auto-create template
     *                           route, whose queues stand for the ones the broker will create)
     */
    public static TopicPublishInfo from(String topic, TopicRouteData route, boolean viaDefaultTopic,
                                        int maxQueuesPerBroker) {
        Map<String, String> masters = new HashMap<>();
        for (BrokerData broker : route.brokerDatas()) {
            String master = broker.masterAddress();
            if (master != null) {
                masters.put(broker.brokerName(), master);
            }
        }
        List<MessageQueue> queues = new ArrayList<>();
        String orderConf = route.orderTopicConf();
        if (orderConf != null && !orderConf.isBlank()) {
            for (String entry : orderConf.split(";")) {
                String[] parts = entry.split(":");
                if (parts.length == 2) {
                    int n = Math.min(Integer.parseInt(parts[1].trim()), maxQueuesPerBroker);
                    for (int i = 0; i < n; i++) {
                        queues.add(new MessageQueue(topic, parts[0].trim(), i));
                    }
                }
            }
        } else {
            List<QueueData> sorted = new ArrayList<>(route.queueDatas());
            sorted.sort(Comparator.comparing(QueueData::brokerName));
            for (QueueData data : sorted) {
                if (!PermName.isWriteable(data.perm()) || !masters.containsKey(data.brokerName())) {
                    continue;
                }
                int n = Math.min(data.writeQueueNums(), maxQueuesPerBroker);
                for (int i = 0; i < n; i++) {
                    queues.add(new MessageQueue(topic, data.brokerName(), i));
                }
            }
        }
        // Consumers read readQueueNums queues of every readable entry, masterless brokers included (a
        // slave still serves reads); a template route stands for queues that do not exist yet.
        List<MessageQueue> readable = new ArrayList<>();
        if (!viaDefaultTopic) {
            List<QueueData> sorted = new ArrayList<>(route.queueDatas());
            sorted.sort(Comparator.comparing(QueueData::brokerName));
            for (QueueData data : sorted) {
                if (PermName.isReadable(data.perm())) {
                    for (int i = 0; i < data.readQueueNums(); i++) {
                        readable.add(new MessageQueue(topic, data.brokerName(), i));
                    }
                }
            }
        }
        return new TopicPublishInfo(topic, queues, readable, masters, viaDefaultTopic);
    }

    public String topic() {
        return topic;
    }

    /** Writable queues, by broker name then queue id. */
    public List<MessageQueue> queues() {
        return queues;
    }

    /**
     * Readable queues ({@code readQueueNums} of every entry with read permission), by broker name then
     * queue id: what consumers share. Empty for a route taken from the auto-create template.
     */
    public List<MessageQueue> readQueues() {
        return readQueues;
    }

    public boolean isEmpty() {
        return queues.isEmpty();
    }

    /** Whether this view came from the auto-create template topic because the topic has no route yet. */
    public boolean viaDefaultTopic() {
        return viaDefaultTopic;
    }

    /** The name of the broker whose master is {@code address}, or null. */
    public @Nullable String brokerNameOf(String address) {
        for (Map.Entry<String, String> master : masters.entrySet()) {
            if (master.getValue().equals(address)) {
                return master.getKey();
            }
        }
        return null;
    }

    /** The master address of {@code brokerName}, or null. */
    public @Nullable String masterAddress(String brokerName) {
        return masters.get(brokerName);
    }

    /** Broker name to master address. */
    public Map<String, String> masters() {
        return masters;
    }

    /**
     * The next queue in rotation on an acceptable broker other than {@code avoidBroker}; failing that,
     * on an acceptable broker (a retry goes back to the broker that was busy rather than to one known to
     * be down); failing that, the next queue not on {@code avoidBroker}; failing that, the next queue.
     */
    public MessageQueue select(@Nullable String avoidBroker, Predicate<String> acceptableBroker) {
        int size = queues.size();
        int start = next.getAndIncrement();
        for (int i = 0; i < size; i++) {
            MessageQueue q = queues.get(Math.floorMod(start + i, size));
            if (!q.brokerName().equals(avoidBroker) && acceptableBroker.test(q.brokerName())) {
                return q;
            }
        }
        if (avoidBroker != null) {
            for (int i = 0; i < size; i++) {
                MessageQueue q = queues.get(Math.floorMod(start + i, size));
                if (acceptableBroker.test(q.brokerName())) {
                    return q;
                }
            }
            for (int i = 0; i < size; i++) {
                MessageQueue q = queues.get(Math.floorMod(start + i, size));
                if (!q.brokerName().equals(avoidBroker)) {
                    return q;
                }
            }
        }
        return queues.get(Math.floorMod(start, size));
    }

    @Override
    public String toString() {
        return "TopicPublishInfo[" + topic + ", queues=" + queues.size() + ", brokers=" + masters.keySet()
                + (viaDefaultTopic ? ", via default topic" : "") + "]";
    }
}
