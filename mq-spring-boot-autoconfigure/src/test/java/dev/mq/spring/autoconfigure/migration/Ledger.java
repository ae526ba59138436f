package dev.mq.spring.autoconfigure.migration;

import dev.mq.test.MessageCollector;
import org.springframework.stereotype.Component;

/**
 * The example application's own service the listener hands each order to; here it records
 * {@code "<tag>:<order id>"} so that the test can wait for what arrived.
 */
@Component
public class Ledger {

    final MessageCollector<String> recorded = new MessageCollector<>();

    void record(String tag, Order order) {
        recorded.add(tag + ":" + order.id());
    }
}
