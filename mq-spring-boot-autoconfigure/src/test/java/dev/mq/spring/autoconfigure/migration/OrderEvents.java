package dev.mq.spring.autoconfigure.migration;

import dev.mq.core.SendResult;
import dev.mq.spring.autoconfigure.MQTemplate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/** The producer side of the migration example, as the guide shows it. */
@Service
public class OrderEvents {

    private final MQTemplate mq;

    public OrderEvents(MQTemplate mq) {
        this.mq = mq;
    }

    public String placed(Order order) {
        return mq.syncSend("MigOrders:created", order).messageId();
    }

    public CompletableFuture<SendResult> shipped(Order order) {
        return mq.asyncSendOrderly("MigOrders:shipped", order, order.id());
    }

    public void remindLater(Order order) {
        mq.syncSendDelayed("MigOrders:reminder", order, Duration.ofSeconds(1));
    }

    public Quote quote(Order order) {
        return mq.sendAndReceive("MigQuotes", order, Quote.class, Duration.ofSeconds(10));
    }
}
