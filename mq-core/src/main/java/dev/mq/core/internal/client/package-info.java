/**
 * Internal: what producers (and later consumers) take from their client instance, the callback
 * executor and heartbeats. Not API: may change in any release.
 */
@NullMarked
package dev.mq.core.internal.client;

import org.jspecify.annotations.NullMarked;
