package dev.mq.core.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Clock;
import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerListener;
import dev.mq.core.consumer.MessageListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrderlyDispatcherTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicBoolean locked = new AtomicBoolean(true);
    private final AtomicInteger relocks = new AtomicInteger();
    /** Answers of the dead-letter sends, in order; a send beyond the list succeeds. */
    private final List<Boolean> deadLetterAnswers = new CopyOnWriteArrayList<>();
    private final AtomicInteger deadLetterSends = new AtomicInteger();
    private OrderlyDispatcher dispatcher;

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.shutdown();
        }
        timer.shutdownNow();
    }

    private final OrderlyDispatcher.Queues queues = new OrderlyDispatcher.Queues() {
        @Override
        public boolean isLocked(ProcessQueue queue) {
            return locked.get();
        }

        @Override
        public void relock(ProcessQueue queue) {
            relocks.incrementAndGet();
        }

        @Override
        public void finish(ProcessQueue queue, PendingMessage message) {
            queue.finish(message);
        }

        @Override
        public void abandon(ProcessQueue queue, PendingMessage message) {
            queue.abandon(message);
        }

        @Override
        public CompletableFuture<Void> deadLetter(ProcessQueue queue, PendingMessage message) {
            int attempt = deadLetterSends.getAndIncrement();
            boolean ok = attempt >= deadLetterAnswers.size() || deadLetterAnswers.get(attempt);
            events.add("dlq " + message.queueOffset() + (ok ? " ok" : " failed") + " committable="
                    + queue.committableOffset());
            return ok ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new IllegalStateException("broker refused"));
        }

        @Override
        public void schedule(Runnable task, long delayMillis) {
            timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
    };

    private OrderlyDispatcher start(int concurrency, int maxReconsumeTimes, MessageListener listener) {
        ListenerInvoker invoker = new ListenerInvoker("g", ConsumerListener.of(listener), List.of(), Clock.system());
        dispatcher = new OrderlyDispatcher(queues, "g", maxReconsumeTimes, 10, concurrency, 1, invoker,
                ConsumerSession.daemonThreads("orderly-test-"));
        dispatcher.start();
        return dispatcher;
    }

    private static ProcessQueue queueWith(int id, int messages) {
        MessageQueue mq = new MessageQueue("T", "b", id);
        ProcessQueue pq = new ProcessQueue(mq, 0);
        List<PendingMessage> list = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            ReceivedMessage m = ReceivedMessage.builder("T", "id-" + id + "-" + i, mq).body(new byte[1])
                    .queueOffset(i).build();
            list.add(new PendingMessage(m, 1000 + i, "T", 1));
        }
        pq.add(list, messages, messages);
        return pq;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what).isNegative();
            Thread.sleep(2);
        }
    }

    @Test
    void oneCallPerQueueAtATimeInQueueOrderWhileQueuesShareTheThreads() throws Exception {
        Map<Integer, AtomicInteger> runningPerQueue = new ConcurrentHashMap<>();
        AtomicInteger maxPerQueue = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        Map<Integer, List<Long>> order = new ConcurrentHashMap<>();
        OrderlyDispatcher d = start(2, 16, m -> {
            int q = m.queue().queueId();
            maxPerQueue.accumulateAndGet(runningPerQueue.computeIfAbsent(q, k -> new AtomicInteger())
                    .incrementAndGet(), Math::max);
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(1);
            order.computeIfAbsent(q, k -> new CopyOnWriteArrayList<>()).add(m.queueOffset());
            running.decrementAndGet();
            runningPerQueue.get(q).decrementAndGet();
            return ConsumeResult.SUCCESS;
        });
        List<ProcessQueue> owned = List.of(queueWith(0, 30), queueWith(1, 30), queueWith(2, 30));
        owned.forEach(d::messagesReady);
        owned.forEach(d::messagesReady); // a second notice lists no queue twice
        await(() -> owned.stream().allMatch(q -> q.committableOffset() == 30), "every message finished");
        assertThat(maxPerQueue).as("calls per queue at once").hasValue(1);
        assertThat(maxRunning.get()).as("calls at once over all queues").isEqualTo(2);
        List<Long> expected = java.util.stream.LongStream.range(0, 30).boxed().toList();
        for (int q = 0; q < 3; q++) {
            assertThat(order.get(q)).as("queue %d in order, each once", q).isEqualTo(expected);
        }
        assertThat(d.inFlight()).isZero();
        assertThat(d.handlersRunning()).isZero();
    }

    @Test
    void aFailureIsRetriedInPlaceWithAGrowingCountThenDeadLetteredAndTheQueueMovesOn() throws Exception {
        ProcessQueue queue = queueWith(0, 4);
        start(1, 2, m -> {
            events.add("deliver " + m.queueOffset() + "/" + m.reconsumeTimes());
            return m.queueOffset() == 1 ? ConsumeResult.RETRY : ConsumeResult.SUCCESS;
        }).messagesReady(queue);
        await(() -> queue.committableOffset() == 4, "the queue moved past the failing message");
        assertThat(events).containsExactly("deliver 0/0", "deliver 1/0", "deliver 1/1", "deliver 1/2",
                "dlq 1 ok committable=1", "deliver 2/0", "deliver 3/0");
    }

    @Test
    void aFailedDeadLetterSendKeepsTheQueueSuspendedAndNeverSkipsTheMessage() throws Exception {
        deadLetterAnswers.add(false);
        ProcessQueue queue = queueWith(0, 2);
        start(1, 16, m -> {
            events.add("deliver " + m.queueOffset());
            return m.queueOffset() == 0 ? ConsumeResult.DEAD_LETTER : ConsumeResult.SUCCESS;
        }).messagesReady(queue);
        await(() -> queue.committableOffset() == 2, "the queue moved on once the dead letter was accepted");
        // The message was handled once; its dead-letter send was repeated; the next one waited for it.
        assertThat(events).containsExactly("deliver 0", "dlq 0 failed committable=0", "dlq 0 ok committable=0",
                "deliver 1");
    }

    @Test
    void aQueueWhoseLockLapsedIsNotHandedOutUntilItIsLockedAgain() throws Exception {
        locked.set(false);
        ProcessQueue queue = queueWith(0, 1);
        start(1, 16, m -> {
            events.add("deliver " + m.queueOffset());
            return ConsumeResult.SUCCESS;
        }).messagesReady(queue);
        await(() -> relocks.get() > 0, "the lock was asked for again");
        Thread.sleep(100);
        assertThat(events).isEmpty();
        locked.set(true);
        await(() -> queue.committableOffset() == 1, "handled once locked");
        assertThat(events).containsExactly("deliver 0");
    }

    @Test
    void aFailureOnAQueueGivenUpHoldsItsOffsetForTheNextOwner() throws Exception {
        ProcessQueue queue = queueWith(0, 3);
        java.util.concurrent.CountDownLatch handling = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch dropped = new java.util.concurrent.CountDownLatch(1);
        start(1, 16, m -> {
            if (m.queueOffset() == 1) {
                handling.countDown();
                dropped.await(10, TimeUnit.SECONDS);
                return ConsumeResult.RETRY;
            }
            return ConsumeResult.SUCCESS;
        }).messagesReady(queue);
        assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();
        queue.drop();
        dropped.countDown();
        await(queue::isIdle, "the handler's outcome was settled");
        assertThat(queue.committableOffset()).as("the failed message still holds the offset").isEqualTo(1);
        assertThat(deadLetterSends).hasValue(0);
    }
}
