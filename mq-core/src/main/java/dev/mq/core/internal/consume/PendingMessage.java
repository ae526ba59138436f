package dev.mq.core.internal.consume;

import dev.mq.core.ReceivedMessage;

/**
 * A message pulled and not yet finished: what the listener gets, and what a send-back needs (the
 * commit-log offset the broker reloads it by, the topic it was stored under).
 *
 * @param message        as the application sees it
 * @param physicalOffset its commit-log offset
 * @param wireTopic      the topic it was pulled from, as it travels (the retry topic for a retried message)
 * @param bytes          what it counts against the cached-bytes cap (its body)
 */
record PendingMessage(ReceivedMessage message, long physicalOffset, String wireTopic, int bytes) {

    long queueOffset() {
        return message.queueOffset();
    }
}
