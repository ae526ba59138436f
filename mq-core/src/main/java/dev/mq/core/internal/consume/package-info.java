/**
 * The consumer's engine: which queues of a group this client owns, and (later) pulling, handing
 * messages to handlers, offsets and retries. Nothing here is API; the consumer's API comes on top.
 */
@NullMarked
package dev.mq.core.internal.consume;

import org.jspecify.annotations.NullMarked;
