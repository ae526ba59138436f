package dev.mq.core.internal.consume;

import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.ConsumeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * Concurrent consumption: {@code concurrency} handler threads take ready messages from any queue
 * ({@link HandlerPool}: a slot is taken before a message is, and given back when its outcome is
 * settled). A queue with more ready messages goes back to the end of the list after each take, so busy
 * queues share the handlers.
 */
final class ConcurrentDispatcher extends HandlerPool {

    /** Settles a handled batch: one result per message, in order. */
    interface Settler {
        void settle(ProcessQueue queue, List<PendingMessage> batch, List<ConsumeResult> results);
    }

    private final int messagesPerCall;
    private final Settler settler;

    ConcurrentDispatcher(int concurrency, int messagesPerCall, ListenerInvoker invoker, Settler settler,
                         ThreadFactory threads) {
        super(concurrency, invoker, threads);
        this.messagesPerCall = messagesPerCall;
        this.settler = settler;
    }

    /** Any ready messages of {@code queue}, up to a call's worth; the queue goes back to the end of the list if it has more. */
    @Override
    boolean handOver(ProcessQueue queue) {
        List<PendingMessage> batch = queue.take(messagesPerCall);
        if (queue.stayScheduled()) {
            list(queue);
        }
        if (batch.isEmpty()) {
            return false;
        }
        List<ReceivedMessage> messages = new ArrayList<>(batch.size());
        batch.forEach(m -> messages.add(m.message()));
        call(queue, batch, messages, results -> settler.settle(queue, batch, results));
        return true;
    }
}
