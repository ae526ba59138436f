/**
 * The vocabulary every part of the client shares: {@link dev.mq.core.Message}, {@link dev.mq.core.SendResult},
 * {@link dev.mq.core.MessageQueue}, {@link dev.mq.core.MQException} and the {@link dev.mq.core.Clock} deadlines are read from.
 *
 * <p>Nothing in this package or below it is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.mq.core;

import org.jspecify.annotations.NullMarked;
