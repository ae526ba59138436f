package dev.mq.spring.autoconfigure.listenere2e;

import dev.mq.core.ReceivedMessage;
import dev.mq.spring.listener.BatchListenerFailedException;
import dev.mq.spring.listener.MQHeaders;
import dev.mq.spring.listener.MQListener;
import dev.mq.test.MessageCollector;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/** The listeners of {@link ListenerEndToEndTest}, each recording what it received. */
@Component
class Listeners {

    record Order(String id, int amount) {
    }

    /** One typed delivery: the payload, headers, and the trace current while the handler ran. */
    record Typed(Order order, String keys, String tenant, String messageId, String traceId) {
    }

    /** One delivery of a message: its id (or payload id) and how often it was delivered before. */
    record Delivery(String id, int reconsumeTimes) {
    }

    final MessageCollector<Typed> typed = new MessageCollector<>();
    final MessageCollector<Delivery> batch = new MessageCollector<>();
    final MessageCollector<Integer> batchSizes = new MessageCollector<>();
    final MessageCollector<Delivery> retried = new MessageCollector<>();
    final MessageCollector<Delivery> handled = new MessageCollector<>();
    final MessageCollector<String> async = new MessageCollector<>();
    final MessageCollector<String> gated = new MessageCollector<>();
    volatile CountDownLatch gate = new CountDownLatch(0);

    @MQListener(topic = "${listener-e2e.typed-topic}", group = "l-typed", consumeFrom = "FIRST_OFFSET")
    void onOrder(Order order, @Header(MQHeaders.KEYS) String keys, @Header("tenant") String tenant,
                 @Header(MQHeaders.MESSAGE_ID) String messageId) {
        typed.add(new Typed(order, keys, tenant, messageId, String.valueOf(ListenerApplication.currentTraceId())));
    }

    @MQListener(topic = "LBatch", group = "l-batch", batch = true, batchSize = "16", consumeFrom = "FIRST_OFFSET")
    void onBatch(List<Message<Order>> orders) {
        batchSizes.add(orders.size());
        Set<Integer> failed = new HashSet<>();
        for (int i = 0; i < orders.size(); i++) {
            Message<Order> m = orders.get(i);
            int reconsumeTimes = (Integer) m.getHeaders().get(MQHeaders.RECONSUME_TIMES);
            batch.add(new Delivery(m.getPayload().id(), reconsumeTimes));
            if (m.getPayload().amount() < 0 && reconsumeTimes == 0) {
                failed.add(i);
            }
        }
        if (!failed.isEmpty()) {
            throw new BatchListenerFailedException(failed, new IllegalStateException("negative amount"));
        }
    }

    @MQListener(topic = "LRetry", group = "l-retry", maxReconsumeTimes = "1", consumeFrom = "FIRST_OFFSET")
    void alwaysFails(ReceivedMessage message) {
        retried.add(new Delivery(message.messageId(), message.reconsumeTimes()));
        throw new IllegalStateException("cannot handle " + message.messageId());
    }

    @MQListener(topic = "LHandled", group = "l-handled", errorHandler = "deadLetterNow", consumeFrom = "FIRST_OFFSET")
    void poison(ReceivedMessage message) {
        handled.add(new Delivery(message.messageId(), message.reconsumeTimes()));
        throw new IllegalArgumentException("poison " + message.messageId());
    }

    @MQListener(topic = "LAsync", group = "l-async", consumeFrom = "FIRST_OFFSET")
    CompletionStage<Void> onAsync(String text) {
        return CompletableFuture.runAsync(() -> async.add(text));
    }

    @MQListener(topic = "LGated", group = "l-gated", consumeFrom = "FIRST_OFFSET")
    void onGated(String text) throws InterruptedException {
        if (!gate.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the gate never opened");
        }
        gated.add(text);
    }

    /** Answers a request with the order at twice its amount: the return value is the reply. */
    @MQListener(topic = "LQuote", group = "l-quote", consumeFrom = "FIRST_OFFSET")
    Order quote(Order order) {
        return new Order(order.id(), order.amount() * 2);
    }

    @MQListener(topic = "LDoomed", group = "l-doomed", autoStartup = "false")
    void doomed(String text) {
    }
}
