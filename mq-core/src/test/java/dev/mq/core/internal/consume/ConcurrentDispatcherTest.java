package dev.mq.core.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Clock;
import dev.mq.core.MessageQueue;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrentDispatcherTest {

    static ProcessQueue queueWith(int id, int messages) {
        MessageQueue mq = new MessageQueue("T", "b", id);
        ProcessQueue pq = new ProcessQueue(mq, 0);
        List<PendingMessage> list = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            list.add(ProcessQueueTest.message(i, 1));
        }
        pq.add(list, messages, messages);
        return pq;
    }

    @Test
    void concurrencyIsExactlyTheNumberOfListenerCallsAtOnceAndEveryMessageIsSettledOnce() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ListenerInvoker invoker = new ListenerInvoker("g", ConsumerListener.of(m -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            release.await(10, TimeUnit.SECONDS);
            running.decrementAndGet();
            return ConsumeResult.SUCCESS;
        }), List.of(), Clock.system());
        ConcurrentLinkedQueue<String> settled = new ConcurrentLinkedQueue<>();
        CountDownLatch all = new CountDownLatch(30);
        ConcurrentDispatcher dispatcher = new ConcurrentDispatcher(3, 1, invoker, (queue, batch, results) -> {
            for (int i = 0; i < batch.size(); i++) {
                settled.add(queue.queue().queueId() + ":" + batch.get(i).queueOffset() + ":" + results.get(i));
                queue.finish(batch.get(i));
                all.countDown();
            }
        }, ConsumerSession.daemonThreads("test-handler-"));
        dispatcher.start();
        try {
            List<ProcessQueue> queues = List.of(queueWith(0, 10), queueWith(1, 10), queueWith(2, 10));
            queues.forEach(dispatcher::messagesReady);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (dispatcher.inFlight() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(dispatcher.inFlight()).isEqualTo(3);
            assertThat(dispatcher.handlersRunning()).isEqualTo(3);
            assertThat(queues.stream().mapToInt(q -> q.stats().inFlightHandlers()).sum()).isEqualTo(3);
            release.countDown();
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(maxRunning.get()).isEqualTo(3);
            assertThat(settled).hasSize(30).doesNotHaveDuplicates().allMatch(s -> s.endsWith(":SUCCESS"));
            queues.forEach(q -> assertThat(q.committableOffset()).isEqualTo(10));
        } finally {
            dispatcher.shutdown();
        }
    }

    @Test
    void aBatchTakesConsecutiveMessagesOfOneQueue() throws Exception {
        ConcurrentLinkedQueue<List<Long>> batches = new ConcurrentLinkedQueue<>();
        CountDownLatch all = new CountDownLatch(10);
        ListenerInvoker invoker = new ListenerInvoker("g", ConsumerListener.batch(messages -> {
            batches.add(messages.stream().map(m -> m.queueOffset()).toList());
            return dev.mq.core.consumer.BatchResult.success();
        }), List.of(), Clock.system());
        ConcurrentDispatcher dispatcher = new ConcurrentDispatcher(1, 4, invoker, (queue, batch, results) -> {
            batch.forEach(m -> {
                queue.finish(m);
                all.countDown();
            });
        }, ConsumerSession.daemonThreads("test-batch-"));
        dispatcher.start();
        try {
            dispatcher.messagesReady(queueWith(0, 10));
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(batches).containsExactly(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L), List.of(8L, 9L));
        } finally {
            dispatcher.shutdown();
        }
    }
}
