package dev.mq.core.internal.consume;

import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.ConsumeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler threads both dispatchers run on, and how work reaches them: {@code concurrency} threads,
 * as many slots (permits), and the list of queues that have messages ready, each listed at most once
 * (its {@link ProcessQueue}'s scheduled mark). A thread takes a slot, then a listed queue, and lets the
 * dispatcher hand that queue over ({@link #handOver}); the slot is given back when the call's outcome
 * is settled — for an asynchronous listener when its stage completes — so at most {@code concurrency}
 * calls are outstanding while no thread waits on any of them. The hand-off is bounded by
 * construction: messages wait in their queue, not in an executor's queue.
 */
abstract class HandlerPool implements MessageDispatcher {

    private static final Logger log = LoggerFactory.getLogger(HandlerPool.class);

    private final int concurrency;
    private final ListenerInvoker invoker;
    private final ThreadFactory threads;
    private final Semaphore slots;
    private final LinkedBlockingQueue<ProcessQueue> readyQueues = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean stopped;

    HandlerPool(int concurrency, ListenerInvoker invoker, ThreadFactory threads) {
        this.concurrency = concurrency;
        this.invoker = invoker;
        this.threads = threads;
        this.slots = new Semaphore(concurrency);
    }

    /**
     * Hands {@code queue}'s next messages to the listener through {@link #call}, on a handler thread
     * holding a slot.
     *
     * @return whether a call was made (its settlement gives the slot back); false gives it back at once
     */
    abstract boolean handOver(ProcessQueue queue);

    @Override
    public synchronized void start() {
        for (int i = 0; i < concurrency; i++) {
            Thread t = threads.newThread(this::work);
            workers.add(t);
            t.start();
        }
    }

    @Override
    public void messagesReady(ProcessQueue queue) {
        if (queue.schedule()) {
            readyQueues.add(queue);
        }
    }

    /** Lists {@code queue} (still marked as scheduled) for a handler again. */
    void list(ProcessQueue queue) {
        readyQueues.add(queue);
    }

    boolean isStopped() {
        return stopped;
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public int handlersRunning() {
        return calls.get();
    }

    @Override
    public synchronized void shutdown() {
        stopped = true;
        workers.forEach(Thread::interrupt);
        workers.clear();
        readyQueues.clear();
    }

    private void work() {
        try {
            while (!stopped) {
                slots.acquire();
                boolean handedOver = false;
                try {
                    handedOver = handOver(readyQueues.take());
                } finally {
                    if (!handedOver) {
                        slots.release();
                    }
                }
            }
        } catch (InterruptedException e) {
            // shutdown
        }
    }

    /**
     * Runs the listener on {@code messages} (those of {@code batch}, as the listener sees them) here;
     * {@code settle} gets one result per message, in order — RETRY for all if the call broke in an
     * unexpected way — and the slot is given back after it.
     */
    void call(ProcessQueue queue, List<PendingMessage> batch, List<ReceivedMessage> messages,
              Consumer<List<ConsumeResult>> settle) {
        inFlight.addAndGet(batch.size());
        calls.incrementAndGet();
        queue.handlerStarted();
        try {
            invoker.invoke(messages).whenComplete((results, error) -> {
                ended(queue, batch);
                List<ConsumeResult> outcome = results;
                if (error != null || outcome == null) { // the invoker maps listener failures itself: only a bug lands here
                    outcome = unexpected(queue, batch, error);
                }
                settleThenRelease(settle, outcome);
            });
        } catch (RuntimeException e) { // a hook or the invoker itself broke before any stage existed
            ended(queue, batch);
            settleThenRelease(settle, unexpected(queue, batch, e));
        }
    }

    private void ended(ProcessQueue queue, List<PendingMessage> batch) {
        queue.handlerEnded();
        calls.decrementAndGet();
        inFlight.addAndGet(-batch.size());
    }

    private static List<ConsumeResult> unexpected(ProcessQueue queue, List<PendingMessage> batch,
                                                  @Nullable Throwable error) {
        log.error("handling {} messages of {} failed unexpectedly: they are retried", batch.size(), queue, error);
        return batch.stream().map(m -> ConsumeResult.RETRY).toList();
    }

    private void settleThenRelease(Consumer<List<ConsumeResult>> settle, List<ConsumeResult> outcome) {
        try {
            settle.accept(outcome);
        } finally {
            slots.release();
        }
    }
}
