/**
 * Internal: the producer implementation, from a validated message to its completed future. Not API:
 * may change in any release.
 */
@NullMarked
package dev.mq.core.internal.send;

import org.jspecify.annotations.NullMarked;
