package dev.mq.core.consumer;

import dev.mq.core.MessageQueue;
import java.util.Set;

/**
 * A member of a consumer group that pulls messages from its share of the subscribed topics' queues
 * and hands them to its listener. Create one with
 * {@link dev.mq.core.client.MQClientInstance#newPushConsumer}; it runs on the client's connections,
 * routes and heartbeats.
 *
 * <p>Delivery is at least once. A queue's committed offset never passes a message that is not
 * finished (handled, or handed back to the broker for a retry), so a clean {@link #stop()} or
 * {@link #close()} re-delivers nothing, and a crash re-delivers at most what was handled since the
 * last commit ({@link ConsumerConfig#commitInterval()}).
 *
 * <p>Memory is bounded for the whole consumer by {@link ConsumerConfig#maxCachedMessages()} and
 * {@link ConsumerConfig#maxCachedBytes()}: at either cap pulling pauses until handlers catch up.
 */
public interface PushConsumer extends AutoCloseable {

    /**
     * Joins the group and starts pulling. Needs a started client; allowed from CREATED and STOPPED.
     * A topic subscribed with an SQL92 selector is first checked with each of its master brokers,
     * which must have property filtering enabled ({@code enablePropertyFilter=true}) and accept the
     * expression.
     *
     * @throws IllegalStateException in another state, or if the client is not RUNNING
     * @throws dev.mq.core.MQException of kind VALIDATION, naming the topic, the expression, the broker
     *     and its reason, if a broker refuses an SQL92 subscription; the consumer stays as it was
     *     (nothing registered, no thread started) and may be started again
     */
    void start();

    /**
     * Leaves the group gracefully: stops pulling, waits up to {@link ConsumerConfig#shutdownTimeout()}
     * for running handlers, commits exact offsets and unregisters, so other members take the queues
     * over from where this one stopped. Messages pulled but not handed to the listener are dropped
     * from memory and re-read by whoever owns their queue next. The consumer may be started again.
     * Does nothing unless RUNNING.
     */
    void stop();

    /** Stops (as {@link #stop()}) and detaches from the client for good. Idempotent. */
    @Override
    void close();

    /**
     * Stops pulling without leaving the group or giving up queues: handlers finish what is cached and
     * offsets keep being committed. Useful while a downstream system is unavailable.
     */
    void pause();

    /** Resumes pulling after {@link #pause()}. */
    void resume();

    boolean isPaused();

    ConsumerState state();

    ConsumerConfig config();

    /** The queues this member owns now (all queues of the subscriptions in broadcasting mode). */
    Set<MessageQueue> assignedQueues();

    /** Live figures: cached messages and bytes, in-flight handlers, per-queue offsets and lag. */
    ConsumerStats stats();
}
