package dev.mq.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.BrokerData;
import dev.mq.core.internal.protocol.PermName;
import dev.mq.core.internal.protocol.QueueData;
import dev.mq.core.internal.protocol.TopicRouteData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicPublishInfoTest {

    private static final String T = "T";
    private static final int RW = PermName.READ | PermName.WRITE;

    private static QueueData queues(String broker, int writeQueues, int perm) {
        return new QueueData(broker, writeQueues, writeQueues, perm, 0);
    }

    private static BrokerData broker(String name, Map<Long, String> addrs) {
        return new BrokerData("DefaultCluster", name, addrs);
    }

    private static BrokerData master(String name) {
        return broker(name, Map.of(0L, name + "-host:10911", 1L, name + "-slave:10921"));
    }

    private static MessageQueue mq(String broker, int id) {
        return new MessageQueue(T, broker, id);
    }

    /** Brokers a (2 queues) and b (2 queues). */
    private static TopicPublishInfo twoBrokers() {
        return TopicPublishInfo.from(T, new TopicRouteData(null,
                List.of(queues("b", 2, RW), queues("a", 2, RW)), List.of(master("a"), master("b"))),
                false, Integer.MAX_VALUE);
    }

    @Test
    void queuesAreOrderedByBrokerNameThenQueueId() {
        TopicPublishInfo info = TopicPublishInfo.from(T, new TopicRouteData(null,
                List.of(queues("broker-c", 1, RW), queues("broker-a", 3, RW), queues("broker-b", 2, RW)),
                List.of(master("broker-b"), master("broker-c"), master("broker-a"))), false, Integer.MAX_VALUE);
        assertThat(info.queues()).containsExactly(
                mq("broker-a", 0), mq("broker-a", 1), mq("broker-a", 2),
                mq("broker-b", 0), mq("broker-b", 1),
                mq("broker-c", 0));
        assertThat(info.masters()).containsEntry("broker-a", "broker-a-host:10911").hasSize(3);
        assertThat(info.masterAddress("broker-b")).isEqualTo("broker-b-host:10911");
        assertThat(info.topic()).isEqualTo(T);
        assertThat(info.isEmpty()).isFalse();
        assertThat(info.viaDefaultTopic()).isFalse();
    }

    @Test
    void queuesWithoutWritePermissionAreSkipped() {
        TopicPublishInfo info = TopicPublishInfo.from(T, new TopicRouteData(null,
                List.of(queues("a", 2, PermName.READ), queues("b", 2, PermName.WRITE),
                        queues("c", 2, PermName.READ | PermName.INHERIT)),
                List.of(master("a"), master("b"), master("c"))), false, Integer.MAX_VALUE);
        assertThat(info.queues()).containsExactly(mq("b", 0), mq("b", 1));
    }

    @Test
    void brokersWithoutAMasterAreSkipped() {
        TopicPublishInfo info = TopicPublishInfo.from(T, new TopicRouteData(null,
                List.of(queues("a", 2, RW), queues("b", 2, RW), queues("c", 2, RW)),
                List.of(broker("a", Map.of(1L, "a-slave:10921")), master("b"))), false, Integer.MAX_VALUE);
        // a has only a slave; c has no broker data at all
        assertThat(info.queues()).containsExactly(mq("b", 0), mq("b", 1));
        assertThat(info.masterAddress("a")).isNull();
        assertThat(info.masters()).containsOnlyKeys("b");
    }

    @Test
    void aRouteWithNothingWritableIsEmpty() {
        TopicPublishInfo info = TopicPublishInfo.from(T, new TopicRouteData(null,
                List.of(queues("a", 4, PermName.READ)), List.of(master("a"))), false, Integer.MAX_VALUE);
        assertThat(info.isEmpty()).isTrue();
    }

    @Test
    void orderTopicConfWinsOverQueueDatasAndPerms() {
        TopicPublishInfo info = TopicPublishInfo.from(T, new TopicRouteData("b:2;a:3",
                List.of(queues("a", 8, PermName.READ), queues("b", 8, RW)), List.of(master("a"), master("b"))),
                false, Integer.MAX_VALUE);
        assertThat(info.queues()).containsExactly(mq("b", 0), mq("b", 1), mq("a", 0), mq("a", 1), mq("a", 2));
    }

    @Test
    void maxQueuesPerBrokerClampsEachBroker() {
        TopicPublishInfo info = TopicPublishInfo.from(T, new TopicRouteData(null,
                List.of(queues("a", 8, RW), queues("b", 2, RW)), List.of(master("a"), master("b"))), true, 4);
        assertThat(info.queues()).containsExactly(
                mq("a", 0), mq("a", 1), mq("a", 2), mq("a", 3), mq("b", 0), mq("b", 1));
        assertThat(info.viaDefaultTopic()).isTrue();
    }

    @Test
    void maxQueuesPerBrokerAlsoClampsOrderTopicConf() {
        TopicPublishInfo info = TopicPublishInfo.from(T, new TopicRouteData("a:8",
                List.of(), List.of(master("a"))), true, 4);
        assertThat(info.queues()).extracting(MessageQueue::queueId).containsExactly(0, 1, 2, 3);
    }

    @Test
    void selectRotatesThroughEveryQueueInOrder() {
        TopicPublishInfo info = twoBrokers();
        List<MessageQueue> picks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            picks.add(info.select(null, broker -> true));
        }
        List<MessageQueue> all = info.queues();
        int first = all.indexOf(picks.get(0));
        for (int i = 0; i < picks.size(); i++) {
            assertThat(picks.get(i)).isEqualTo(all.get((first + i) % all.size()));
        }
    }

    @Test
    void selectAvoidsTheLastBroker() {
        TopicPublishInfo info = twoBrokers();
        for (int i = 0; i < 20; i++) {
            assertThat(info.select("a", broker -> true).brokerName()).isEqualTo("b");
            assertThat(info.select("b", broker -> true).brokerName()).isEqualTo("a");
        }
    }

    @Test
    void selectSkipsUnavailableBrokers() {
        TopicPublishInfo info = twoBrokers();
        Set<MessageQueue> picked = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            picked.add(info.select(null, broker -> !broker.equals("a")));
        }
        assertThat(picked).containsExactlyInAnyOrder(mq("b", 0), mq("b", 1));
    }

    @Test
    void selectPrefersAnotherBrokerWhenEveryBrokerIsUnavailable() {
        TopicPublishInfo info = twoBrokers();
        for (int i = 0; i < 20; i++) {
            assertThat(info.select("a", broker -> false).brokerName()).isEqualTo("b");
        }
    }

    @Test
    void selectReturnsToTheLastBrokerRatherThanToOneThatIsUnavailable() {
        // A retry after "broker busy" on a, while b is known to be down: a is the one that can answer.
        TopicPublishInfo info = twoBrokers();
        for (int i = 0; i < 20; i++) {
            assertThat(info.select("a", broker -> broker.equals("a")).brokerName()).isEqualTo("a");
        }
    }

    @Test
    void selectStillReturnsAQueueWhenEveryBrokerIsUnavailable() {
        TopicPublishInfo info = twoBrokers();
        Set<MessageQueue> picked = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            picked.add(info.select(null, broker -> false));
        }
        assertThat(picked).containsExactlyInAnyOrderElementsOf(info.queues()); // and it keeps rotating
    }

    @Test
    void selectFallsBackToTheLastBrokerWhenItIsTheOnlyOne() {
        TopicPublishInfo info = TopicPublishInfo.from(T, new TopicRouteData(null,
                List.of(queues("a", 2, RW)), List.of(master("a"))), false, Integer.MAX_VALUE);
        assertThat(info.select("a", broker -> true).brokerName()).isEqualTo("a");
        assertThat(info.select("a", broker -> false).brokerName()).isEqualTo("a");
    }

    @Test
    void consumersReadReadQueueNumsOfEveryReadableEntryMasterlessBrokersIncluded() {
        TopicPublishInfo info = TopicPublishInfo.from(T, new TopicRouteData(null, List.of(
                new QueueData("b", 3, 1, RW, 0), new QueueData("a", 1, 2, PermName.WRITE, 0),
                new QueueData("c", 2, 2, PermName.READ, 0)),
                List.of(master("a"), master("b"), broker("c", Map.of(1L, "c-slave:10921")))), false, Integer.MAX_VALUE);
        assertThat(info.readQueues()).containsExactly(mq("b", 0), mq("b", 1), mq("b", 2), mq("c", 0), mq("c", 1));
        assertThat(info.queues()).containsExactly(mq("a", 0), mq("a", 1), mq("b", 0));
    }

    @Test
    void aRouteTakenFromTheAutoCreateTemplateHasNothingToRead() {
        TopicPublishInfo info = TopicPublishInfo.from(T, new TopicRouteData(null, List.of(queues("a", 4, RW)),
                List.of(master("a"))), true, 4);
        assertThat(info.queues()).hasSize(4);
        assertThat(info.readQueues()).isEmpty();
    }
}
