/**
 * Receiving: {@link dev.mq.core.consumer.PushConsumer}, its {@link dev.mq.core.consumer.ConsumerConfig},
 * the listeners that handle messages, consume hooks and live statistics.
 *
 * <pre>{@code
 * PushConsumer consumer = client.newPushConsumer(ConsumerConfig.builder()
 *         .group("billing")
 *         .subscribe("Orders", "created || paid")
 *         .build(),
 *         message -> ConsumeResult.SUCCESS);
 * consumer.start();
 * ...
 * consumer.close();   // stops pulling, finishes handlers, commits exact offsets, leaves the group
 * }</pre>
 */
@NullMarked
package dev.mq.core.consumer;

import org.jspecify.annotations.NullMarked;
