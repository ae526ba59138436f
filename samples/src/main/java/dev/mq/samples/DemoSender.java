package dev.mq.samples;

import dev.mq.core.SendResult;
import dev.mq.spring.autoconfigure.MQTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Sends a small demo in all three modes once the application has started, and logs the results. */
@Component
class DemoSender implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoSender.class);
    static final String TOPIC = "SampleTopic";

    private final MQTemplate template;

    DemoSender(MQTemplate template) {
        this.template = template;
    }

    @Override
    public void run(ApplicationArguments args) {
        SendResult sync = template.syncSend(TOPIC + ":demo", "hello, sync");
        log.info("sync send: {} id={} queue={} offset={}", sync.status(), sync.messageId(), sync.queue(),
                sync.queueOffset());
        template.asyncSend(TOPIC + ":demo", new OrderRequest("demo-1", 42)).whenComplete((result, error) -> {
            if (error != null) {
                log.warn("async send failed: {}", error.getMessage());
            } else {
                log.info("async send: {} id={} queue={}", result.status(), result.messageId(), result.queue());
            }
        });
        template.sendOneWay(TOPIC + ":demo", "hello, oneway");
        log.info("oneway send under way (no future: its outcome goes to metrics)");
    }
}
