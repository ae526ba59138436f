/**
 * Sending: {@link dev.mq.core.producer.Producer}, its {@link dev.mq.core.producer.ProducerConfig}, queue
 * selection, auto-batching, send hooks and live statistics.
 */
@NullMarked
package dev.mq.core.producer;

import org.jspecify.annotations.NullMarked;
