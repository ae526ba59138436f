/**
 * The entry point: {@link dev.mq.core.client.MQClientInstance}, the connection to one RocketMQ cluster, and
 * the {@link dev.mq.core.client.ClientResources} (threads, timer, clock) it runs on.
 */
@NullMarked
package dev.mq.core.client;

import org.jspecify.annotations.NullMarked;
