/**
 * The wire vocabulary of RocketMQ's classic remoting protocol: request and response codes, message
 * property and batch encodings, client message ids, compression, route JSON and heartbeat bodies,
 * the consumer's formats (pull flags and answers, stored records, group member lists, queue-lock
 * bodies), and the client-side validation that keeps bad input off the wire.
 *
 * <p>Nothing here does I/O. Several classes run once per message on the send path, so they avoid
 * regular expressions, intermediate collections and per-call allocations beyond the result.
 */
@NullMarked
package dev.mq.core.internal.protocol;

import org.jspecify.annotations.NullMarked;
