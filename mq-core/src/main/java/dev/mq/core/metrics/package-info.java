/**
 * Optional Micrometer metrics for sends, as a {@link dev.mq.core.producer.SendHook}.
 */
@NullMarked
package dev.mq.core.metrics;

import org.jspecify.annotations.NullMarked;
