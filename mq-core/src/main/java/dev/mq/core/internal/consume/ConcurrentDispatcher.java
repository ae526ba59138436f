package dev.mq.core.internal.consume;

import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.ConsumeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent consumption: {@code concurrency} handler threads take ready messages from any queue.
 *
 * <p>The hand-off is bounded by construction: messages wait in their {@link ProcessQueue}, and what
 * waits for a handler is the list of queues that have ready messages, each listed at most once. A
 * handler slot (a permit, {@code concurrency} of them) is taken before a message is, and given back
 * when its outcome is settled — for an asynchronous listener when its stage completes, so at most
 * {@code concurrency} stages are outstanding while no thread waits on any of them. A queue with more
 * ready messages goes back to the end of the list after each take, so busy queues share the handlers.
 */
final class ConcurrentDispatcher implements MessageDispatcher {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentDispatcher.class);

    /** Settles a handled batch: one result per message, in order. */
    interface Settler {
        void settle(ProcessQueue queue, List<PendingMessage> batch, List<ConsumeResult> results);
    }

    private final int concurrency;
    private final int messagesPerCall;
    private final ListenerInvoker invoker;
    private final Settler settler;
    private final ThreadFactory threads;
    private final Semaphore slots;
    private final LinkedBlockingQueue<ProcessQueue> readyQueues = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean stopped;

    ConcurrentDispatcher(int concurrency, int messagesPerCall, ListenerInvoker invoker, Settler settler,
                         ThreadFactory threads) {
        this.concurrency = concurrency;
        this.messagesPerCall = messagesPerCall;
        this.invoker = invoker;
        this.settler = settler;
        this.threads = threads;
        this.slots = new Semaphore(concurrency);
    }

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
                    ProcessQueue queue = readyQueues.take();
                    List<PendingMessage> batch = queue.take(messagesPerCall);
                    if (queue.stayScheduled()) {
                        readyQueues.add(queue);
                    }
                    if (!batch.isEmpty()) {
                        handedOver = true;
                        handle(queue, batch);
                    }
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

    /** Runs the listener here; the slot is given back when the outcome is settled. */
    private void handle(ProcessQueue queue, List<PendingMessage> batch) {
        List<ReceivedMessage> messages = new ArrayList<>(batch.size());
        batch.forEach(m -> messages.add(m.message()));
        inFlight.addAndGet(batch.size());
        calls.incrementAndGet();
        queue.handlerStarted();
        try {
            invoker.invoke(messages).whenComplete((results, error) -> {
                queue.handlerEnded();
                calls.decrementAndGet();
                inFlight.addAndGet(-batch.size());
                try {
                    List<ConsumeResult> outcome = results;
                    if (error != null || outcome == null) { // the invoker maps listener failures itself: only a bug lands here
                        log.error("handling {} messages of {} failed unexpectedly: they are retried", batch.size(),
                                queue, error);
                        outcome = batch.stream().map(m -> ConsumeResult.RETRY).toList();
                    }
                    settler.settle(queue, batch, outcome);
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException e) { // a hook or the invoker itself broke before any stage existed
            queue.handlerEnded();
            calls.decrementAndGet();
            inFlight.addAndGet(-batch.size());
            log.error("handling {} messages of {} failed unexpectedly: they are retried", batch.size(), queue, e);
            try {
                settler.settle(queue, batch, batch.stream().map(m -> ConsumeResult.RETRY).toList());
            } finally {
                slots.release();
            }
        }
    }
}
