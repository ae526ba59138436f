/**
 * Internal: the Netty transport: connections, frame codec, in-flight table, deadlines, TLS and request
 * signing. Knows frames, not producers. Not API: may change in any release.
 */
@NullMarked
package dev.mq.core.internal.transport;

import org.jspecify.annotations.NullMarked;
