/**
 * The consumer's engine behind {@link dev.mq.core.consumer.PushConsumer}: group membership and
 * rebalancing, one long-polling pull per owned queue, process queues under the whole consumer's
 * memory caps, handlers on a bounded executor, offsets, retries and dead letters, orderly locks.
 * Nothing here is API.
 */
@NullMarked
package dev.mq.core.internal.consume;

import org.jspecify.annotations.NullMarked;
