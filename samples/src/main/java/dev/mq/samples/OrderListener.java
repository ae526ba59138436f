package dev.mq.samples;

import dev.mq.spring.listener.MQHeaders;
import dev.mq.spring.listener.MQListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Receives what {@code POST /orders} sends: the JSON body arrives as an {@link OrderRequest}. A new
 * group reads the topic from its first message, so the orders sent before it joined are not skipped.
 */
@Component
class OrderListener {

    private static final Logger log = LoggerFactory.getLogger(OrderListener.class);

    @MQListener(topic = OrderController.TOPIC, group = "sample-orders", consumeFrom = "FIRST_OFFSET")
    void onOrder(OrderRequest order, @Header(MQHeaders.TAGS) String tags, @Header(MQHeaders.MESSAGE_ID) String id,
                 @Header(MQHeaders.QUEUE) Object queue) {
        log.info("received order {} (amount {}) from {} with tag {}, message id {}", order.id(), order.amount(),
                queue, tags, id);
    }
}
