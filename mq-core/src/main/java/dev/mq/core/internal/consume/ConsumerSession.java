package dev.mq.core.internal.consume;

import dev.mq.core.Clock;
import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.ConsumerStats;
import dev.mq.core.consumer.MessageModel;
import dev.mq.core.consumer.MessageSelector;
import dev.mq.core.internal.client.ClientServices;
import dev.mq.core.internal.protocol.ConsumeDirectlyResult;
import dev.mq.core.internal.protocol.ConsumerRunningInfo;
import dev.mq.core.internal.protocol.ConsumerSendMsgBackHeader;
import dev.mq.core.internal.protocol.HeartbeatBody;
import dev.mq.core.internal.protocol.HeartbeatBody.Subscription;
import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.protocol.StoredMessage;
import dev.mq.core.internal.route.TopicRoutes;
import dev.mq.core.internal.transport.RemotingClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a push consumer, from {@code start()} to {@code stop()}: its owned queues, pulls,
 * handlers, offsets and the control thread that rebalances and commits. A restarted consumer gets a
 * new session, so nothing of a stopped run (a late pull answer, a handler that outlived the stop's
 * wait) can touch the next one.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Queues are added and given up only on the control thread ({@link Rebalancer}) or by
 *       {@link #shutdown}, both under {@code membership}; after {@code running} turned false no
 *       queue is added, and every owned queue is dropped.</li>
 *   <li>A message leaves its queue's unfinished set only when settled: handled with SUCCESS, or
 *       accepted by its broker for a retry or dead-lettering. A failed send-back hands the message
 *       back to its queue after {@link #SEND_BACK_RETRY_DELAY}, so the committed offset never passes it.</li>
 *   <li>A dropped queue's messages are never sent back and never move an offset: the queue's final
 *       offset is committed when it is given up, and its next owner reads from there. A message of
 *       a dropped queue that failed (or whose send-back failed) is abandoned: it leaves memory but
 *       still holds the offset, so a final commit made after it cannot pass it.</li>
 * </ul>
 */
final class ConsumerSession {

    private static final Logger log = LoggerFactory.getLogger(ConsumerSession.class);

    /** How long a failed send-back waits before its message is handed to a handler again. */
    static final Duration SEND_BACK_RETRY_DELAY = Duration.ofSeconds(5);
    /** How long giving up a queue waits for its running handlers (bounded so one slow handler cannot hold a rebalance). */
    static final Duration REMOVAL_WAIT = Duration.ofSeconds(10);

    private final ConsumerConfig config;
    private final ClientServices client;
    private final WireNames names;
    private final BrokerRequests requests;
    private final OffsetStore offsetStore;
    private final CacheBudget budget;
    private final MessageDispatcher dispatcher;
    private final Puller puller;
    private final Rebalancer rebalancer;
    private final Map<String, Subscription> subscriptions;
    private final ListenerInvoker invoker;
    private final boolean broadcasting;
    /** An orderly clustering consumer's queue locks; null otherwise (broadcasting members share no queue). */
    private final @Nullable QueueLocks locks;
    private final long startedMillis;
    private final HeartbeatBody.ConsumerGroup heartbeatGroup;
    private final Map<MessageQueue, ProcessQueue> queues = new ConcurrentHashMap<>();
    private final ScheduledExecutorService control;
    private final ConcurrentLinkedQueue<Runnable> pausedPulls = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean rebalancePending = new AtomicBoolean();
    /** Serialises adding and giving up queues with shutdown. */
    final Object membership = new Object();
    private volatile boolean running;
    private volatile boolean paused;

    ConsumerSession(ConsumerConfig config, ListenerInvoker invoker, ClientServices client, WireNames names,
                    Duration rebalanceInterval, boolean paused) {
        this.config = config;
        this.client = client;
        this.names = names;
        this.paused = paused;
        this.invoker = invoker;
        this.broadcasting = config.messageModel() == MessageModel.BROADCASTING;
        this.startedMillis = client.clock().millis();
        this.requests = new BrokerRequests(client.remoting(), client.routes());
        this.offsetStore = offsetStoreFor(config, requests, names, client);
        this.locks = config.orderly() && !broadcasting ? new QueueLocks(client.remoting(),
                new RemotingTimer(client.remoting()), client.clock(), client.clientId(), names.group(),
                requests::masterOf) : null;
        this.budget = new CacheBudget(config.maxCachedMessages(), config.maxCachedBytes());
        ThreadFactory handlerThreads = config.threadFactory() != null ? config.threadFactory()
                : daemonThreads("mq-consume-" + config.group() + "-");
        this.dispatcher = config.orderly()
                ? OrderlyDispatcher.of(this, config.concurrency(), invoker.messagesPerCall(config.batchSize()),
                        invoker, handlerThreads)
                : new ConcurrentDispatcher(config.concurrency(), invoker.messagesPerCall(config.batchSize()),
                        invoker, this::settle, handlerThreads);
        this.puller = new Puller(this);
        this.subscriptions = subscriptions(config, names, client.clock().millis(), broadcasting);
        this.heartbeatGroup = HeartbeatBody.ConsumerGroup.push(names.group(), broadcasting
                ? HeartbeatBody.MessageModel.BROADCASTING : HeartbeatBody.MessageModel.CLUSTERING,
                consumeFromWhere(config), List.copyOf(subscriptions.values()));
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                daemonThreads("mq-consumer-" + config.group() + "-"));
        executor.setRemoveOnCancelPolicy(true);
        this.control = executor;
        this.rebalancer = new Rebalancer(this, rebalanceInterval, executor);
    }

    /**
     * Where this consumer keeps its progress: the brokers in clustering mode; a broadcasting member's
     * own file under {@link ConsumerConfig#offsetStoreDirectory()}, named after the client's stable name
     * (every member reads every queue, so the progress is its own).
     */
    private static OffsetStore offsetStoreFor(ConsumerConfig config, BrokerRequests requests, WireNames names,
                                              ClientServices client) {
        return switch (config.messageModel()) {
            case CLUSTERING -> new BrokerOffsetStore(requests, names.group());
            case BROADCASTING -> new LocalFileOffsetStore(config.offsetStoreDirectory(), client.stableName(),
                    names.group());
        };
    }

    /**
     * Every subscription as it travels, in clustering mode with the group's retry topic ({@code *});
     * a broadcasting consumer never retries through the broker, so it has none.
     */
    static Map<String, Subscription> subscriptions(ConsumerConfig config, WireNames names, long version,
                                                           boolean broadcasting) {
        Map<String, Subscription> subs = new LinkedHashMap<>();
        config.subscriptions().forEach((topic, selector) -> {
            String wire = names.topic(topic);
            subs.put(wire, selector.type() == MessageSelector.Type.SQL92
                    ? Subscription.sql92(wire, selector.expression(), version)
                    : Subscription.tag(wire, selector.expression(), version));
        });
        if (!broadcasting) {
            subs.put(names.retryTopic(), Subscription.tag(names.retryTopic(), Subscription.SUBSCRIBE_ALL, version));
        }
        return subs;
    }

    private static HeartbeatBody.ConsumeFromWhere consumeFromWhere(ConsumerConfig config) {
        return switch (config.consumeFrom().kind()) {
            case LAST_OFFSET -> HeartbeatBody.ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET;
            case FIRST_OFFSET -> HeartbeatBody.ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET;
            case TIMESTAMP -> HeartbeatBody.ConsumeFromWhere.CONSUME_FROM_TIMESTAMP;
        };
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts handlers, the control thread's rebalances and commits, and a first rebalance now. */
    void start() {
        running = true;
        dispatcher.start();
        long commit = config.commitInterval().toMillis();
        control.scheduleWithFixedDelay(this::commitAll, commit, commit, TimeUnit.MILLISECONDS);
        rebalancer.start();
        QueueLocks held = locks;
        if (held != null) {
            held.startRenewal(() -> queues.values().stream().filter(q -> !q.isDropped()).map(ProcessQueue::queue)
                    .toList());
        }
    }

    /** A member joined or left: rebalance soon, once for a burst of notifications. */
    void rebalanceSoon() {
        if (running && rebalancePending.compareAndSet(false, true)) {
            try {
                control.schedule(() -> {
                    rebalancePending.set(false);
                    rebalancer.rebalance();
                }, 100, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) { // shut down meanwhile
                rebalancePending.set(false);
            }
        }
    }

    /**
     * Stops: no pulls, no new queues; waits up to {@code timeout} for handed-out messages to settle;
     * commits every queue's exact offset and forgets the queues. Runs on the caller's thread.
     */
    void shutdown(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos(); // real time: it waits for other threads
        List<ProcessQueue> owned;
        synchronized (membership) {
            running = false;
            owned = new ArrayList<>(queues.values());
            for (ProcessQueue queue : owned) {
                release(queue.drop());
            }
        }
        // The control thread's round or commit under way ends first (interrupted where it waits), so that
        // no periodic commit of an older offset can follow the final one.
        control.shutdownNow();
        try {
            control.awaitTermination(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitIdle(owned, deadline);
        List<ProcessQueue> committed = commitFinal(owned,
                Math.max(BrokerRequests.TIMEOUT.toNanos(), deadline - System.nanoTime()));
        QueueLocks held = locks;
        if (held != null) {
            held.close();
            unlock(committed, Math.max(QueueLocks.REQUEST_TIMEOUT.toNanos(), deadline - System.nanoTime()));
        }
        dispatcher.shutdown();
        pausedPulls.clear();
    }

    /** Waits until no message of {@code owned} is handed out, or the deadline. */
    void awaitIdle(List<ProcessQueue> owned, long deadlineNanos) {
        synchronized (this) {
            while (!owned.stream().allMatch(ProcessQueue::isIdle)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    log.warn("consumer group {}: handlers still running after the wait; their messages will be"
                            + " delivered again", config.group());
                    return;
                }
                try {
                    wait(Math.max(1, Math.min(left / 1_000_000, 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Records and writes the offsets of dropped {@code given} queues, then forgets them. Dropped, they
     * send no offset any more (pulls carry none, the periodic commit skips them), so this is the last
     * write of their offsets from this member.
     *
     * @return those of {@code given} whose final offset the broker acknowledged: only these may be handed
     *     over through their lock at once (a write without an answer may still be applied later)
     */
    List<ProcessQueue> commitFinal(List<ProcessQueue> given, long waitNanos) {
        long deadline = System.nanoTime() + waitNanos;
        if (locks != null) {
            // An orderly queue changes hands the moment its lock is given back, with no grace: its final
            // offset must be the last one the broker applies. Its pulls carry no offset (Puller), so every
            // earlier one went as a write whose answer means it was applied; those still unanswered (a
            // periodic commit of a moment ago) are waited for, up to half the time allowed, and the final
            // offset is written after them. (One that failed may still land: written twice, below.)
            long older = System.nanoTime() + waitNanos / 2;
            for (ProcessQueue queue : given) {
                queue.awaitCommitsAnswered(older);
            }
        }
        List<MessageQueue> mqs = new ArrayList<>();
        Map<ProcessQueue, Long> finals = new LinkedHashMap<>();
        for (ProcessQueue queue : given) {
            long offset = queue.committableOffset();
            offsetStore.update(queue.queue(), offset, false);
            mqs.add(queue.queue());
            finals.put(queue, offset);
        }
        Set<MessageQueue> acknowledged = awaitPersisted(mqs, deadline);
        // An older offset sent before the drop and still unanswered (a pull's commit offset: a held
        // pull is answered only when messages come or its suspend time ends; or a periodic commit
        // whose write failed or went unanswered) may be applied after this write: brokers apply pulls
        // and offset updates on different thread pools, and updates on a pool of several threads. It
        // would leave the next owner a stale offset. Such a queue's final offset is written a second
        // time, once the first was answered: a round trip later, by when a request that reached the
        // broker before the first write has been taken up. Queues without one are written once.
        List<MessageQueue> again = new ArrayList<>();
        finals.forEach((queue, offset) -> {
            if (queue.olderCommitMayLand(offset) && acknowledged.contains(queue.queue())) {
                again.add(queue.queue());
            }
        });
        if (!again.isEmpty()) {
            acknowledged.removeAll(again);
            acknowledged.addAll(awaitPersisted(again, deadline));
        }
        List<ProcessQueue> committed = new ArrayList<>();
        for (ProcessQueue queue : given) {
            queues.remove(queue.queue(), queue);
            offsetStore.remove(queue.queue());
            if (acknowledged.contains(queue.queue())) {
                committed.add(queue);
            }
        }
        return committed;
    }

    /**
     * Writes the offsets of {@code mqs} and waits until {@code deadlineNanos} for the answers (a failed
     * write is logged by the store, and the caller goes on).
     *
     * @return the queues whose write the broker acknowledged in time; none when interrupted
     */
    private Set<MessageQueue> awaitPersisted(List<MessageQueue> mqs, long deadlineNanos) {
        Map<MessageQueue, CompletableFuture<Void>> writes = offsetStore.persistEach(mqs);
        try {
            CompletableFuture.allOf(writes.values().toArray(CompletableFuture[]::new))
                    .get(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("consumer group {}: committing offsets of {} interrupted", config.group(), mqs);
            return new HashSet<>();
        } catch (Exception e) {
            log.warn("consumer group {}: committing offsets of {} did not finish: {}", config.group(), mqs,
                    e.toString());
        }
        Set<MessageQueue> acknowledged = new HashSet<>();
        writes.forEach((queue, write) -> {
            if (write.isDone() && !write.isCompletedExceptionally()) {
                acknowledged.add(queue);
            }
        });
        return acknowledged;
    }

    /**
     * The periodic commit: every owned queue's committable offset, each write noted until acknowledged
     * (see {@link #commitFinal}). A queue being given up is skipped: only its final commit writes it.
     */
    private void commitAll() {
        for (ProcessQueue queue : queues.values()) {
            long offset = queue.offsetToCommit();
            if (offset == OffsetStore.NONE) {
                continue;
            }
            offsetStore.update(queue.queue(), offset, false);
            // A write that failed or went unanswered may still be applied: it stays unacknowledged.
            offsetStore.persist(List.of(queue.queue())).whenComplete((ok, error) -> {
                if (error == null) {
                    queue.commitAcknowledged();
                } else {
                    queue.commitFailed();
                }
            });
        }
    }

    /**
     * Gives up the locks of {@code given} queues (whose final offsets were acknowledged) whose handlers
     * all finished; a queue whose handler outlived the wait keeps its lock until it runs out, so no other
     * member starts on it while that handler may still run.
     */
    void unlock(List<ProcessQueue> given, long waitNanos) {
        QueueLocks held = locks;
        if (held == null) {
            return;
        }
        List<MessageQueue> idle = given.stream().filter(ProcessQueue::isIdle).map(ProcessQueue::queue).toList();
        if (idle.isEmpty()) {
            return;
        }
        try {
            held.unlock(idle).get(Math.max(1, waitNanos / 1_000_000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("unlocking {} did not finish: {}", idle, e.toString());
        }
    }

    /** Settles a handled batch: a success finishes its message, a failure hands it back to its broker. */
    void settle(ProcessQueue queue, List<PendingMessage> batch, List<ConsumeResult> results) {
        for (int i = 0; i < batch.size(); i++) {
            PendingMessage message = batch.get(i);
            ConsumeResult result = results.get(i);
            if (result == ConsumeResult.SUCCESS) {
                finish(queue, message);
            } else if (queue.isDropped()) {
                abandon(queue, message); // the next owner delivers it again: nothing goes back for a queue given up
            } else if (broadcasting) {
                // No member could take a retry: the broker keeps no retry topic per member. Logged, finished.
                log.warn("consumer group {} (broadcasting): {} of {} not consumed ({}); broadcasting does not retry",
                        config.group(), message.message().messageId(), queue.queue(), result);
                finish(queue, message);
            } else {
                sendBack(queue, message, result == ConsumeResult.DEAD_LETTER
                        ? ConsumerSendMsgBackHeader.DELAY_TO_DLQ : ConsumerSendMsgBackHeader.DELAY_CHOSEN_BY_BROKER);
            }
        }
    }

    /** Asks {@code message}'s broker to store it again for a retry, or in the dead-letter topic (delay level −1). */
    CompletableFuture<Void> sendBackRequest(ProcessQueue queue, PendingMessage message, int delayLevel) {
        ConsumerSendMsgBackHeader header = new ConsumerSendMsgBackHeader(message.physicalOffset(), names.group(),
                delayLevel, message.message().messageId(), names.topic(message.message().topic()),
                config.maxReconsumeTimes(), queue.queue().brokerName());
        return requests.sendBack(queue.queue(), header);
    }

    private void sendBack(ProcessQueue queue, PendingMessage message, int delayLevel) {
        sendBackRequest(queue, message, delayLevel).whenComplete((ok, error) -> {
            if (error == null) {
                finish(queue, message);
                return;
            }
            if (queue.isDropped()) {
                abandon(queue, message);
                return;
            }
            log.warn("consumer group {}: handing {} back to its broker failed ({}); it is handled again here in {} s",
                    config.group(), message.message().messageId(), error.getMessage(),
                    SEND_BACK_RETRY_DELAY.toSeconds());
            try {
                client.remoting().schedule(timeout -> handBack(queue, message), SEND_BACK_RETRY_DELAY.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) { // the client is closing: the next owner reads it again
                abandon(queue, message);
            }
        });
    }

    private void handBack(ProcessQueue queue, PendingMessage message) {
        if (running && !queue.isDropped() && queue.handBack(message)) {
            dispatcher.messagesReady(queue);
        } else {
            abandon(queue, message);
        }
    }

    /** A failed message of a queue given up: its memory is released, its offset still held. */
    void abandon(ProcessQueue queue, PendingMessage message) {
        if (queue.abandon(message)) {
            budget.release(1, message.bytes());
        }
        synchronized (this) {
            notifyAll();
        }
    }

    /** {@code message} is settled: its memory is released and, while the queue is owned, its offset recorded. */
    void finish(ProcessQueue queue, PendingMessage message) {
        if (queue.finish(message)) {
            budget.release(1, message.bytes());
        }
        if (!queue.isDropped()) {
            offsetStore.update(queue.queue(), queue.committableOffset(), false);
        } else {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Messages dropped from memory with their queue. */
    void release(List<PendingMessage> dropped) {
        long bytes = 0;
        for (PendingMessage m : dropped) {
            bytes += m.bytes();
        }
        budget.release(dropped.size(), bytes);
    }

    /** This run's state for an administrator (GET_CONSUMER_RUNNING_INFO): settings, subscriptions, owned queues. */
    ConsumerRunningInfo runningInfo() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(ConsumerRunningInfo.CONSUME_TYPE, "CONSUME_PASSIVELY");
        properties.put(ConsumerRunningInfo.START_TIMESTAMP, Long.toString(startedMillis));
        properties.put(ConsumerRunningInfo.CONSUME_ORDERLY, Boolean.toString(config.orderly()));
        properties.put(ConsumerRunningInfo.THREADPOOL_CORE_SIZE, Integer.toString(config.concurrency()));
        properties.put("consumerGroup", names.group());
        properties.put("messageModel", config.messageModel().name());
        properties.put("consumeFromWhere", consumeFromWhere(config).name());
        properties.put("maxReconsumeTimes", Integer.toString(config.maxReconsumeTimes()));
        properties.put("paused", Boolean.toString(paused));
        Map<MessageQueue, ConsumerRunningInfo.QueueInfo> owned = new LinkedHashMap<>();
        Map<String, ConsumerRunningInfo.TopicStatus> status = new LinkedHashMap<>();
        QueueLocks held = locks;
        for (ProcessQueue queue : queues.values()) {
            if (queue.isDropped()) {
                continue;
            }
            ConsumerStats.QueueStats s = queue.stats();
            long next = queue.nextPullOffset();
            boolean cached = s.cachedMessages() > 0;
            owned.put(queue.queue(), ConsumerRunningInfo.QueueInfo.of(s.committedOffset(),
                    cached ? s.committedOffset() : 0, cached ? next - 1 : 0, (int) s.cachedMessages(),
                    s.cachedBytes(), held != null && held.isLocked(queue.queue()),
                    held != null ? held.lastLockMillis(queue.queue()) : 0, false, 0, 0));
            status.putIfAbsent(queue.queue().topic(), new ConsumerRunningInfo.TopicStatus(0, 0, 0, 0, 0, 0));
        }
        return new ConsumerRunningInfo(properties, List.copyOf(subscriptions.values()), owned, status, null);
    }

    /**
     * Runs {@code message} through the listener once for an administrator (CONSUME_MESSAGE_DIRECTLY):
     * on a thread of its own made by the handler thread factory, outside the queues (no offset, no
     * retry, no send-back).
     */
    CompletableFuture<ConsumeDirectlyResult> consumeDirectly(StoredMessage record, @Nullable String brokerName) {
        String wireTopic = record.topic();
        String topic = names.applicationTopic(wireTopic);
        if (names.isRetryTopic(wireTopic)) {
            String original = record.property(MessageProperties.RETRY_TOPIC);
            if (original != null) {
                topic = names.applicationTopic(original);
            }
        }
        ReceivedMessage message = record.toReceivedMessage(topic, new MessageQueue(names.applicationTopic(wireTopic),
                brokerName == null ? "" : brokerName, record.queueId()));
        CompletableFuture<ConsumeDirectlyResult> result = new CompletableFuture<>();
        ThreadFactory factory = config.threadFactory() != null ? config.threadFactory()
                : daemonThreads("mq-consume-directly-" + config.group() + "-");
        long start = client.clock().nanoTime();
        Thread thread = factory.newThread(() -> {
            try {
                invoker.invoke(List.of(message)).whenComplete((results, error) -> {
                    long took = TimeUnit.NANOSECONDS.toMillis(client.clock().nanoTime() - start);
                    ConsumeResult outcome = error == null && results != null ? results.get(0) : ConsumeResult.RETRY;
                    result.complete(new ConsumeDirectlyResult(true, outcome == ConsumeResult.SUCCESS
                            ? ConsumeDirectlyResult.Outcome.CR_SUCCESS : ConsumeDirectlyResult.Outcome.CR_LATER,
                            config.orderly(), error == null ? null : error.toString(), took));
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        thread.start();
        return result;
    }

    /**
     * An administrator moved the group's offsets (RESET_CONSUMER_CLIENT_OFFSET). On the control thread:
     * the owned queues among {@code offsets} stop (their cached messages dropped, their handlers waited
     * for, bounded), the new offsets are recorded — backwards too — and written, and those queues start
     * pulling again from there.
     */
    void resetOffsets(Map<MessageQueue, Long> offsets) {
        if (!running) {
            return;
        }
        try {
            control.execute(() -> applyReset(offsets));
        } catch (RuntimeException e) { // stopping meanwhile: the reset is written by nobody, as for a stopped member
            log.warn("consumer group {}: offset reset not applied, the consumer is stopping", config.group());
        }
    }

    private void applyReset(Map<MessageQueue, Long> offsets) {
        List<ProcessQueue> stopped = new ArrayList<>();
        synchronized (membership) {
            if (!running) {
                return;
            }
            for (MessageQueue queue : offsets.keySet()) {
                ProcessQueue owned = queues.get(queue);
                if (owned != null && !owned.isDropped()) {
                    release(owned.drop());
                    stopped.add(owned);
                }
            }
        }
        awaitIdle(stopped, System.nanoTime() + REMOVAL_WAIT.toNanos());
        offsets.forEach((queue, offset) -> offsetStore.update(queue, offset, true));
        long deadline = System.nanoTime() + BrokerRequests.TIMEOUT.toNanos();
        // As for a final commit: an offset a stopped queue sent before (a held pull's, a periodic
        // commit's) may be applied after the reset's write and undo it, whichever way it moved; such a
        // queue's reset offset is written again once the first write was answered.
        if (!awaitPersisted(List.copyOf(offsets.keySet()), deadline).isEmpty()) {
            List<MessageQueue> again = stopped.stream().filter(ProcessQueue::commitMayLand).map(ProcessQueue::queue)
                    .toList();
            if (!again.isEmpty()) {
                awaitPersisted(again, deadline);
            }
        }
        for (MessageQueue queue : offsets.keySet()) {
            if (stopped.stream().noneMatch(q -> q.queue().equals(queue))) {
                offsetStore.remove(queue); // not owned here: written for the group, not kept
            }
        }
        for (ProcessQueue old : stopped) {
            long offset = java.util.Objects.requireNonNull(offsets.get(old.queue()));
            ProcessQueue fresh = new ProcessQueue(old.queue(), offset);
            synchronized (membership) {
                if (!running || !queues.replace(old.queue(), old, fresh)) {
                    continue;
                }
            }
            log.info("consumer group {}: {} restarts at offset {} (reset)", config.group(), old.queue(), offset);
            puller.pull(fresh);
        }
    }

    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        Runnable next;
        while ((next = pausedPulls.poll()) != null) {
            next.run();
        }
    }

    void whenResumed(Runnable pull) {
        pausedPulls.add(pull);
        if (!paused) {
            resume();
        }
    }

    ConsumerStats stats(dev.mq.core.consumer.ConsumerState state) {
        Map<MessageQueue, ConsumerStats.QueueStats> perQueue = new LinkedHashMap<>();
        for (ProcessQueue queue : queues.values()) {
            if (!queue.isDropped()) {
                perQueue.put(names.applicationQueue(queue.queue()), queue.stats());
            }
        }
        // The totals are read at one instant (a sum over queues read one after the other could pass a cap).
        return new ConsumerStats(config.group(), state, paused, budget.cachedMessages(), budget.bytes(),
                dispatcher.handlersRunning(), perQueue);
    }

    // What the pull loop and the rebalancer use.

    boolean isRunning() {
        return running;
    }

    boolean isPaused() {
        return paused;
    }

    ConsumerConfig config() {
        return config;
    }

    WireNames names() {
        return names;
    }

    ClientServices client() {
        return client;
    }

    BrokerRequests requests() {
        return requests;
    }

    boolean isBroadcasting() {
        return broadcasting;
    }

    @Nullable QueueLocks locks() {
        return locks;
    }

    ListenerInvoker invoker() {
        return invoker;
    }

    long startedMillis() {
        return startedMillis;
    }

    ScheduledExecutorService control() {
        return control;
    }

    OffsetStore offsetStore() {
        return offsetStore;
    }

    CacheBudget budget() {
        return budget;
    }

    MessageDispatcher dispatcher() {
        return dispatcher;
    }

    Puller puller() {
        return puller;
    }

    Map<MessageQueue, ProcessQueue> queues() {
        return queues;
    }

    Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    @Nullable Subscription subscription(String wireTopic) {
        return subscriptions.get(wireTopic);
    }

    HeartbeatBody.ConsumerGroup heartbeatGroup() {
        return heartbeatGroup;
    }

    RemotingClient remoting() {
        return client.remoting();
    }

    TopicRoutes routes() {
        return client.routes();
    }

    Executor callbackExecutor() {
        return client.callbackExecutor();
    }

    Clock clock() {
        return client.clock();
    }
}
