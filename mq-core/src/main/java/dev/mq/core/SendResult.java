package dev.mq.core;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the broker said about a stored message (or batch).
 *
 * @param status          how the message was stored
 * @param messageIds      the client message ids ({@code UNIQ_KEY}), one per message; a consumer sees
 *                        the same id as {@code MessageExt.getMsgId()}
 * @param offsetMessageId the broker's offset message id (store host + commit-log offset); for a batch,
 *                        the broker's comma-separated list, or null if the broker sent none
 * @param queue           the queue the message was written to
 * @param queueOffset     the message's logical offset in that queue (the first message's for a batch)
 * @param transactionId   the broker's transaction id (5.x brokers), or null
 */
public record SendResult(SendStatus status, List<String> messageIds, @Nullable String offsetMessageId,
                         MessageQueue queue, long queueOffset, @Nullable String transactionId) {

    public SendResult {
        Objects.requireNonNull(status, "status");
        messageIds = List.copyOf(messageIds);
        Objects.requireNonNull(queue, "queue");
    }

    /** The client message id ({@code UNIQ_KEY}) of the message, or of the first message of a batch. */
    public String messageId() {
        return messageIds.get(0);
    }

    public boolean isOk() {
        return status == SendStatus.SEND_OK;
    }
}
