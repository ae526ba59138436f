/**
 * Receiving with Spring: the {@link dev.mq.spring.listener.MQListener} annotation, the
 * {@link dev.mq.spring.listener.MQListenerRegistry} of its containers, header names, the error handler
 * and the customizer. The machinery behind them is package-private in {@code dev.mq.spring.autoconfigure}.
 */
@NullMarked
package dev.mq.spring.listener;

import org.jspecify.annotations.NullMarked;
