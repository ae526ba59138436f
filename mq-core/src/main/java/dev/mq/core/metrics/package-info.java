/**
 * Optional Micrometer metrics for sends, as a {@link dev.mq.core.producer.SendHook}.
 */
package dev.mq.core.metrics;
