package dev.mq.core.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MessageQueue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AllocateAveragelyTest {

    private final AllocateAveragely avg = new AllocateAveragely();

    private static List<MessageQueue> queues(String topic, String broker, int count) {
        return IntStream.range(0, count).mapToObj(i -> new MessageQueue(topic, broker, i)).toList();
    }

    private static List<Integer> ids(List<MessageQueue> queues) {
        return queues.stream().map(MessageQueue::queueId).toList();
    }

    @Test
    void eightQueuesThreeClientsAsTheOfficialClient() {
        List<MessageQueue> all = queues("T", "b", 8);
        List<String> cids = List.of("c3", "c1", "c2");

        assertThat(ids(avg.allocate(all, cids, "c1"))).containsExactly(0, 1, 2);
        assertThat(ids(avg.allocate(all, cids, "c2"))).containsExactly(3, 4, 5);
        assertThat(ids(avg.allocate(all, cids, "c3"))).containsExactly(6, 7);
    }

    @Test
    void clientIdsSortAsStringsNotNumbers() {
        List<MessageQueue> all = queues("T", "b", 8);
        List<String> cids = IntStream.rangeClosed(1, 10).mapToObj(i -> "c" + i).toList();

        // Sorted order c1, c10, c2, …, c9: c10 takes queue 1, c8 and c9 take nothing.
        assertThat(ids(avg.allocate(all, cids, "c1"))).containsExactly(0);
        assertThat(ids(avg.allocate(all, cids, "c10"))).containsExactly(1);
        assertThat(ids(avg.allocate(all, cids, "c2"))).containsExactly(2);
        assertThat(ids(avg.allocate(all, cids, "c7"))).containsExactly(7);
        assertThat(avg.allocate(all, cids, "c8")).isEmpty();
        assertThat(avg.allocate(all, cids, "c9")).isEmpty();
    }

    @Test
    void queuesSortByTopicThenBrokerThenQueueIdWhateverTheInputOrder() {
        List<MessageQueue> all = new ArrayList<>();
        all.addAll(queues("T", "broker-b", 2));
        all.addAll(queues("T", "broker-a", 2));
        all.add(new MessageQueue("T", "broker-a", 10));
        Collections.shuffle(all, new Random(3));

        // broker-a 0, 1, 10 (ids compare as numbers), then broker-b 0, 1; the first of two clients takes three.
        assertThat(avg.allocate(all, List.of("x", "y"), "x")).containsExactly(
                new MessageQueue("T", "broker-a", 0), new MessageQueue("T", "broker-a", 1),
                new MessageQueue("T", "broker-a", 10));
        assertThat(avg.allocate(all, List.of("y", "x"), "y")).containsExactly(
                new MessageQueue("T", "broker-b", 0), new MessageQueue("T", "broker-b", 1));
    }

    @Test
    void unevenSplitGivesTheRemainderToTheFirstClients() {
        List<MessageQueue> all = queues("T", "b", 10);
        List<String> cids = List.of("a", "b", "c", "d");

        assertThat(ids(avg.allocate(all, cids, "a"))).containsExactly(0, 1, 2);
        assertThat(ids(avg.allocate(all, cids, "b"))).containsExactly(3, 4, 5);
        assertThat(ids(avg.allocate(all, cids, "c"))).containsExactly(6, 7);
        assertThat(ids(avg.allocate(all, cids, "d"))).containsExactly(8, 9);
    }

    @Test
    void moreClientsThanQueuesLeavesTheLastClientsIdle() {
        List<MessageQueue> all = queues("T", "b", 2);
        List<String> cids = List.of("a", "b", "c");

        assertThat(ids(avg.allocate(all, cids, "a"))).containsExactly(0);
        assertThat(ids(avg.allocate(all, cids, "b"))).containsExactly(1);
        assertThat(avg.allocate(all, cids, "c")).isEmpty();
    }

    @Test
    void oneClientTakesEverything() {
        List<MessageQueue> all = queues("T", "b", 5);
        assertThat(avg.allocate(all, List.of("only"), "only")).isEqualTo(all);
    }

    @Test
    void aClientNotListedTakesNothing() {
        assertThat(avg.allocate(queues("T", "b", 4), List.of("a", "b"), "stranger")).isEmpty();
        assertThat(avg.allocate(queues("T", "b", 4), List.of(), "a")).isEmpty();
        assertThat(avg.allocate(List.of(), List.of("a"), "a")).isEmpty();
    }

    @Test
    void aQueueListedTwiceCountsOnce() {
        List<MessageQueue> all = new ArrayList<>(queues("T", "b", 4));
        all.add(new MessageQueue("T", "b", 3));

        assertThat(ids(avg.allocate(all, List.of("a", "b"), "a"))).containsExactly(0, 1);
        assertThat(ids(avg.allocate(all, List.of("a", "b"), "b"))).containsExactly(2, 3);
    }

    @Test
    void aDuplicatedClientIdKeepsItsFirstPositionAsTheOfficialClientDoes() {
        List<MessageQueue> all = queues("T", "b", 6);
        List<String> cids = List.of("b", "a", "a");

        // Sorted a, a, b: three shares of two; "a" takes the first, the second share belongs to nobody.
        assertThat(ids(avg.allocate(all, cids, "a"))).containsExactly(0, 1);
        assertThat(ids(avg.allocate(all, cids, "b"))).containsExactly(4, 5);
    }

    @Test
    void everyQueueIsOwnedByExactlyOneClientAndSharesDifferByAtMostOne() {
        Random random = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            List<MessageQueue> all = new ArrayList<>();
            int brokers = 1 + random.nextInt(3);
            for (int b = 0; b < brokers; b++) {
                all.addAll(queues("T" + random.nextInt(2), "broker-" + b, random.nextInt(12)));
            }
            int clientCount = 1 + random.nextInt(12);
            List<String> cids = new ArrayList<>();
            for (int c = 0; c < clientCount; c++) {
                cids.add("10.0.0." + random.nextInt(50) + "@" + c);
            }
            Collections.shuffle(all, random);
            Collections.shuffle(cids, random);

            Map<MessageQueue, String> owner = new HashMap<>();
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (String cid : cids) {
                // Each member sees the lists in its own order; the result must not depend on it.
                List<String> seen = new ArrayList<>(cids);
                Collections.shuffle(seen, random);
                List<MessageQueue> mine = avg.allocate(all, seen, cid);
                min = Math.min(min, mine.size());
                max = Math.max(max, mine.size());
                for (MessageQueue q : mine) {
                    assertThat(owner.put(q, cid)).as("queue %s owned twice in round %d", q, round).isNull();
                }
            }
            assertThat(owner.keySet()).as("round %d", round).containsExactlyInAnyOrderElementsOf(
                    new HashSet<>(all));
            assertThat(max - min).as("round %d", round).isLessThanOrEqualTo(1);
        }
    }
}
