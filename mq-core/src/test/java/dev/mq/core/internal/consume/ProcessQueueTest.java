package dev.mq.core.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessQueueTest {

    static final MessageQueue QUEUE = new MessageQueue("T", "broker-a", 0);

    static PendingMessage message(long offset, int bytes) {
        ReceivedMessage m = ReceivedMessage.builder("T", "id-" + offset, QUEUE).body(new byte[bytes])
                .queueOffset(offset).build();
        return new PendingMessage(m, 1000 + offset, "T", bytes);
    }

    static List<PendingMessage> messages(long from, long to) {
        List<PendingMessage> list = new ArrayList<>();
        for (long o = from; o < to; o++) {
            list.add(message(o, 10));
        }
        return list;
    }

    @Test
    void theCommittableOffsetIsTheLowestUnfinishedWhateverOrderHandlersFinishIn() {
        ProcessQueue pq = new ProcessQueue(QUEUE, 100);
        assertThat(pq.committableOffset()).isEqualTo(100);
        pq.add(messages(100, 105), 105, 105);
        List<PendingMessage> taken = pq.take(5);
        assertThat(taken).extracting(PendingMessage::queueOffset).containsExactly(100L, 101L, 102L, 103L, 104L);
        assertThat(pq.committableOffset()).isEqualTo(100);
        pq.finish(taken.get(3));
        pq.finish(taken.get(1));
        assertThat(pq.committableOffset()).as("100 is not finished").isEqualTo(100);
        pq.finish(taken.get(0));
        assertThat(pq.committableOffset()).as("100, 101 finished; 102 not").isEqualTo(102);
        pq.finish(taken.get(4));
        pq.finish(taken.get(2));
        assertThat(pq.committableOffset()).as("nothing cached: the next pull offset").isEqualTo(105);
        assertThat(pq.isIdle()).isTrue();
    }

    @Test
    void aMessageHandedBackHoldsTheOffsetAndIsTakenAgainFirst() {
        ProcessQueue pq = new ProcessQueue(QUEUE, 0);
        pq.add(messages(0, 3), 3, 3);
        List<PendingMessage> taken = pq.take(3);
        pq.finish(taken.get(1));
        pq.finish(taken.get(2));
        assertThat(pq.handBack(taken.get(0))).isTrue();
        assertThat(pq.committableOffset()).isZero();
        assertThat(pq.take(1)).containsExactly(taken.get(0));
        pq.finish(taken.get(0));
        assertThat(pq.committableOffset()).isEqualTo(3);
    }

    @Test
    void nothingPulledMovesTheOffsetToTheNextPullOffset() {
        ProcessQueue pq = new ProcessQueue(QUEUE, 10);
        pq.advance(17, 17); // filtered-out messages at 10..16
        assertThat(pq.committableOffset()).isEqualTo(17);
        ProcessQueue.Added added = pq.add(List.of(), 20, 20); // every message of the pull failed the tag check
        assertThat(added.messages()).isZero();
        assertThat(pq.committableOffset()).isEqualTo(20);
    }

    @Test
    void aDroppedQueueTakesAndHandsOutNothingAndKeepsItsUnhandledMessagesInTheOffset() {
        ProcessQueue pq = new ProcessQueue(QUEUE, 0);
        pq.add(messages(0, 4), 4, 4);
        List<PendingMessage> inFlight = pq.take(2);
        List<PendingMessage> released = pq.drop();
        assertThat(released).extracting(PendingMessage::queueOffset).containsExactly(2L, 3L);
        assertThat(pq.add(messages(4, 6), 6, 6)).isEqualTo(ProcessQueue.Added.NOTHING);
        assertThat(pq.take(10)).isEmpty();
        assertThat(pq.schedule()).isFalse();
        assertThat(pq.isIdle()).isFalse();
        pq.finish(inFlight.get(0));
        pq.finish(inFlight.get(1));
        assertThat(pq.isIdle()).isTrue();
        assertThat(pq.committableOffset()).as("2 and 3 were never handled: the next owner starts there").isEqualTo(2);
        assertThat(pq.handBack(message(2, 10))).as("nothing goes back into a dropped queue").isFalse();
    }

    @Test
    void statsCountCachedMessagesAndBytesUntilFinished() {
        ProcessQueue pq = new ProcessQueue(QUEUE, 0);
        pq.add(List.of(message(0, 100), message(1, 200)), 2, 9);
        assertThat(pq.stats().cachedMessages()).isEqualTo(2);
        assertThat(pq.stats().cachedBytes()).isEqualTo(300);
        assertThat(pq.stats().brokerMaxOffset()).isEqualTo(9);
        PendingMessage first = pq.take(1).get(0);
        assertThat(pq.finish(first)).isTrue();
        assertThat(pq.finish(first)).as("finished once").isFalse();
        assertThat(pq.stats().cachedMessages()).isEqualTo(1);
        assertThat(pq.stats().cachedBytes()).isEqualTo(200);
        assertThat(pq.stats().lag()).isEqualTo(8);
    }

    @Test
    void aQueueIsScheduledForDispatchAtMostOnce() {
        ProcessQueue pq = new ProcessQueue(QUEUE, 0);
        assertThat(pq.schedule()).as("nothing ready").isFalse();
        pq.add(messages(0, 3), 3, 3);
        assertThat(pq.schedule()).isTrue();
        assertThat(pq.schedule()).isFalse();
        pq.take(1);
        assertThat(pq.stayScheduled()).as("two left").isTrue();
        pq.take(2);
        assertThat(pq.stayScheduled()).isFalse();
        pq.add(messages(3, 4), 4, 4);
        assertThat(pq.schedule()).isTrue();
    }

    @Test
    void aFailureAfterTheQueueWasGivenUpLeavesMemoryButHoldsTheOffset() {
        ProcessQueue pq = new ProcessQueue(QUEUE, 0);
        pq.add(messages(0, 3), 3, 3);
        List<PendingMessage> taken = pq.take(3);
        pq.drop();
        pq.finish(taken.get(1)); // succeeded
        assertThat(pq.abandon(taken.get(0))).as("its memory is released once").isTrue();
        pq.finish(taken.get(2));
        assertThat(pq.isIdle()).isTrue();
        assertThat(pq.stats().cachedMessages()).isZero();
        assertThat(pq.stats().cachedBytes()).isZero();
        assertThat(pq.committableOffset()).as("nothing was sent back for 0: the next owner reads it again").isZero();
    }

    @Test
    void aFailedCommitEndsTheWaitForAnswersButStillMayLand() throws Exception {
        ProcessQueue pq = new ProcessQueue(QUEUE, 100);
        long sent = pq.offsetToCommit();
        assertThat(sent).isEqualTo(100);
        Thread waiter = new Thread(() -> pq.awaitCommitsAnswered(System.nanoTime() + 60_000_000_000L));
        waiter.start();
        waiter.join(200);
        assertThat(waiter.isAlive()).as("waits while the write has no outcome").isTrue();
        pq.commitFailed();
        waiter.join(10_000);
        assertThat(waiter.isAlive()).as("a failure is an outcome").isFalse();
        assertThat(pq.commitMayLand()).as("a failed write may still be applied").isTrue();
        pq.offsetToCommit();
        pq.commitAcknowledged();
        assertThat(pq.commitMayLand()).isTrue(); // the failed one still may
    }
}
