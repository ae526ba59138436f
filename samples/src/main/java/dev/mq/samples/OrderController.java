package dev.mq.samples;

import dev.mq.core.SendResult;
import dev.mq.spring.autoconfigure.MQTemplate;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /orders}: sends the order to topic {@value #TOPIC} as JSON, keyed by its id. */
@RestController
class OrderController {

    static final String TOPIC = "Orders";

    private final MQTemplate template;

    OrderController(MQTemplate template) {
        this.template = template;
    }

    @PostMapping("/orders")
    Map<String, Object> send(@RequestBody OrderRequest order) {
        SendResult result = template.syncSendOrderly(TOPIC + ":created", order, order.id());
        return Map.of("status", result.status().name(), "messageId", result.messageId(),
                "queue", result.queue().toString(), "queueOffset", result.queueOffset());
    }
}
