package dev.mq.spring.autoconfigure.migration;

import dev.mq.spring.listener.MQHeaders;
import dev.mq.spring.listener.MQListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/** The consumer side of the migration example, as the guide shows it. */
@Component
public class OrderListeners {

    private final Ledger ledger;

    public OrderListeners(Ledger ledger) {
        this.ledger = ledger;
    }

    @MQListener(topic = "MigOrders", group = "mig-billing", selector = "created || shipped || reminder",
            consumeFrom = "FIRST_OFFSET", maxReconsumeTimes = "3")
    void onOrder(Order order, @Header(MQHeaders.TAGS) String tag) {
        ledger.record(tag, order);
    }

    @MQListener(topic = "MigQuotes", group = "mig-pricing", consumeFrom = "FIRST_OFFSET")
    Quote price(Order order) {
        return new Quote(order.id(), order.amount() * 250L);
    }
}
