package dev.mq.core.internal.consume;

import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.internal.protocol.ConsumerSendMsgBackHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orderly consumption: each queue's messages are handed over one listener call at a time, in queue
 * order, while this member holds the queue's lock; queues share the {@code concurrency} handler threads
 * ({@link HandlerPool}).
 *
 * <p>A queue is listed for a handler at most once, and stays marked as scheduled in its
 * {@link ProcessQueue} from the moment it is listed until its call is settled (through a suspension
 * too), so a pull that adds messages meanwhile cannot list it a second time: at most one call per
 * queue is in flight. After a call, the queue goes back to the end of the list if it has more ready.
 *
 * <p>A failure (RETRY, an exception) puts the failed message and those after it back at the head of
 * the queue and suspends the queue for {@code orderlyRetryDelay}; the message is then handled again,
 * its {@link ReceivedMessage#reconsumeTimes()} counted here (nothing goes to the broker). Once it has
 * been retried {@code maxReconsumeTimes} times, or the listener answered DEAD_LETTER, it is sent to the
 * group's dead-letter topic (CONSUMER_SEND_MSG_BACK, delay level −1) and the queue moves on; a send
 * that fails is tried again after the delay, the queue still suspended: a message is never skipped.
 */
final class OrderlyDispatcher extends HandlerPool {

    private static final Logger log = LoggerFactory.getLogger(OrderlyDispatcher.class);

    /** How long a queue whose lock lapsed waits before it is looked at again (meanwhile it is re-locked). */
    static final long LOCK_WAIT_MILLIS = 1_000;
    /** The least wait before a failed dead-letter send is repeated (a broker that refused needs a moment). */
    static final long DEAD_LETTER_RETRY_MIN_MILLIS = 1_000;

    /** What the dispatcher needs from its consumer: locks, settlement, the dead-letter send and a timer. */
    interface Queues {

        /** Whether this member holds {@code queue}'s lock now (always, when no locks are kept). */
        boolean isLocked(ProcessQueue queue);

        /** Asks for {@code queue}'s lock again (its lock lapsed); the answer comes later. */
        void relock(ProcessQueue queue);

        /** {@code message} is settled: memory released, offset recorded. */
        void finish(ProcessQueue queue, PendingMessage message);

        /** {@code message} failed on a queue given up: memory released, offset still held. */
        void abandon(ProcessQueue queue, PendingMessage message);

        /** Sends {@code message} to the group's dead-letter topic; completes when its broker accepted it. */
        CompletableFuture<Void> deadLetter(ProcessQueue queue, PendingMessage message);

        /** Runs {@code task} after {@code delayMillis}, never on the caller's stack; throws when closing. */
        void schedule(Runnable task, long delayMillis);
    }

    private final Queues queues;
    private final String group;
    private final int maxReconsumeTimes;
    private final long retryDelayMillis;
    private final int messagesPerCall;
    /** Local retries so far, per queue and queue offset (only of messages that failed). */
    private final Map<ProcessQueue, Map<Long, Integer>> retries = new ConcurrentHashMap<>();

    /** The dispatcher of {@code session}: its locks, settlement, send-back and the client's timer. */
    static OrderlyDispatcher of(ConsumerSession session, int concurrency, int messagesPerCall, ListenerInvoker invoker,
                                ThreadFactory threads) {
        Queues queues = new Queues() {
            @Override
            public boolean isLocked(ProcessQueue queue) {
                QueueLocks locks = session.locks();
                return locks == null || locks.isLocked(queue.queue());
            }

            @Override
            public void relock(ProcessQueue queue) {
                QueueLocks locks = session.locks();
                if (locks != null) {
                    locks.lock(Set.of(queue.queue()));
                }
            }

            @Override
            public void finish(ProcessQueue queue, PendingMessage message) {
                session.finish(queue, message);
            }

            @Override
            public void abandon(ProcessQueue queue, PendingMessage message) {
                session.abandon(queue, message);
            }

            @Override
            public CompletableFuture<Void> deadLetter(ProcessQueue queue, PendingMessage message) {
                return session.sendBackRequest(queue, message, ConsumerSendMsgBackHeader.DELAY_TO_DLQ);
            }

            @Override
            public void schedule(Runnable task, long delayMillis) {
                session.remoting().schedule(timeout -> task.run(), delayMillis, TimeUnit.MILLISECONDS);
            }
        };
        return new OrderlyDispatcher(queues, session.config().group(), session.config().maxReconsumeTimes(),
                session.config().orderlyRetryDelay().toMillis(), concurrency, messagesPerCall, invoker, threads);
    }

    OrderlyDispatcher(Queues queues, String group, int maxReconsumeTimes, long retryDelayMillis, int concurrency,
                      int messagesPerCall, ListenerInvoker invoker, ThreadFactory threads) {
        super(concurrency, invoker, threads);
        this.queues = queues;
        this.group = group;
        this.maxReconsumeTimes = maxReconsumeTimes;
        this.retryDelayMillis = retryDelayMillis;
        this.messagesPerCall = messagesPerCall;
    }

    @Override
    public synchronized void shutdown() {
        super.shutdown();
        retries.clear();
    }

    /** Hands {@code queue}'s next messages to the listener, if it is still owned and locked; it stays listed meanwhile. */
    @Override
    boolean handOver(ProcessQueue queue) {
        if (queue.isDropped()) {
            retries.remove(queue);
            return false;
        }
        if (!queues.isLocked(queue)) {
            queues.relock(queue);
            later(queue, LOCK_WAIT_MILLIS);
            return false;
        }
        List<PendingMessage> batch = queue.take(messagesPerCall);
        if (batch.isEmpty()) {
            continueWith(queue);
            return false;
        }
        handle(queue, batch);
        return true;
    }

    /** Runs the listener here; the slot is given back when the outcome is known. */
    private void handle(ProcessQueue queue, List<PendingMessage> batch) {
        Map<Long, Integer> counts = retries.getOrDefault(queue, Map.of());
        List<ReceivedMessage> messages = new ArrayList<>(batch.size());
        for (PendingMessage m : batch) {
            int local = counts.getOrDefault(m.queueOffset(), 0);
            messages.add(local == 0 ? m.message() : withReconsumeTimes(m.message(), m.message().reconsumeTimes() + local));
        }
        call(queue, batch, messages, results -> settle(queue, batch, results));
    }

    /**
     * Settles one call: messages up to the first failure are finished; from the first failure on, the
     * messages go back to the head of the queue (retried here after the delay) or the failed one goes
     * to the dead-letter topic.
     */
    private void settle(ProcessQueue queue, List<PendingMessage> batch, List<ConsumeResult> results) {
        int failed = -1;
        for (int i = 0; i < batch.size(); i++) {
            if (results.get(i) == ConsumeResult.SUCCESS) {
                finished(queue, batch.get(i));
            } else {
                failed = i;
                break;
            }
        }
        if (failed < 0) {
            continueWith(queue);
            return;
        }
        if (queue.isDropped()) {
            // Given up meanwhile: the failed message and those after it hold the offset for the next owner.
            batch.subList(failed, batch.size()).forEach(m -> abandoned(queue, m));
            return;
        }
        PendingMessage message = batch.get(failed);
        List<PendingMessage> after = batch.subList(failed + 1, batch.size());
        int done = retries.getOrDefault(queue, Map.of()).getOrDefault(message.queueOffset(), 0);
        if (results.get(failed) == ConsumeResult.DEAD_LETTER || done >= maxReconsumeTimes) {
            handBack(queue, after);
            deadLetter(queue, message);
            return;
        }
        retries.computeIfAbsent(queue, q -> new ConcurrentHashMap<>()).put(message.queueOffset(), done + 1);
        handBack(queue, batch.subList(failed, batch.size()));
        log.debug("{} of {} failed (local retry {} of {}): the queue waits {} ms", message.message().messageId(),
                queue.queue(), done + 1, maxReconsumeTimes, retryDelayMillis);
        later(queue, retryDelayMillis);
    }

    /** Sends {@code message} to the dead-letter topic, then moves on; a failed send is tried again later. */
    private void deadLetter(ProcessQueue queue, PendingMessage message) {
        if (queue.isDropped()) {
            abandoned(queue, message); // the next owner reads it again
            return;
        }
        queues.deadLetter(queue, message).whenComplete((ok, error) -> {
            if (error == null) {
                log.warn("consumer group {}: {} of {} failed and went to the dead-letter topic; the queue moves on",
                        group, message.message().messageId(), queue.queue());
                finished(queue, message);
                continueWith(queue);
                return;
            }
            long delay = Math.max(retryDelayMillis, DEAD_LETTER_RETRY_MIN_MILLIS);
            log.warn("consumer group {}: sending {} of {} to the dead-letter topic failed ({}); the queue stays"
                    + " suspended and it is tried again in {} ms", group, message.message().messageId(),
                    queue.queue(), error.getMessage(), delay);
            try {
                queues.schedule(() -> deadLetter(queue, message), delay);
            } catch (RuntimeException e) { // the client is closing: the next owner reads it again
                abandoned(queue, message);
            }
        });
    }

    private void finished(ProcessQueue queue, PendingMessage message) {
        Map<Long, Integer> counts = retries.get(queue);
        if (counts != null) {
            counts.remove(message.queueOffset());
        }
        queues.finish(queue, message);
    }

    /** {@code message} failed on a queue given up: memory released, its offset still held (never committed past). */
    private void abandoned(ProcessQueue queue, PendingMessage message) {
        Map<Long, Integer> counts = retries.get(queue);
        if (counts != null) {
            counts.remove(message.queueOffset());
        }
        queues.abandon(queue, message);
    }

    /** Puts {@code messages} back at the head of the queue, in their order. */
    private void handBack(ProcessQueue queue, List<PendingMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            PendingMessage m = messages.get(i);
            if (!queue.handBack(m)) {
                abandoned(queue, m); // dropped meanwhile: only its memory is released
            }
        }
    }

    /** After a call: the queue is listed again if it has more ready, else unmarked. */
    private void continueWith(ProcessQueue queue) {
        if (queue.stayScheduled()) {
            list(queue);
        } else if (queue.isDropped()) {
            retries.remove(queue);
        }
    }

    /** Lists {@code queue} again after {@code delayMillis}; it stays marked as scheduled meanwhile. */
    private void later(ProcessQueue queue, long delayMillis) {
        try {
            queues.schedule(() -> {
                if (!isStopped()) {
                    list(queue);
                }
            }, delayMillis);
        } catch (RuntimeException e) { // the client is closing
            log.debug("cannot resume {}: {}", queue, e.toString());
        }
    }

    /** {@code message} as the listener sees it on a local retry: the broker's count plus ours. */
    static ReceivedMessage withReconsumeTimes(ReceivedMessage message, int reconsumeTimes) {
        return ReceivedMessage.builder(message.topic(), message.messageId(), message.queue())
                .tags(message.tags()).keys(message.keys()).body(message.body())
                .properties(message.properties()).offsetMessageId(message.offsetMessageId())
                .queueOffset(message.queueOffset()).reconsumeTimes(reconsumeTimes)
                .bornTimestamp(message.bornTimestamp()).storeTimestamp(message.storeTimestamp())
                .bornHost(message.bornHost()).storeHost(message.storeHost()).build();
    }

}
