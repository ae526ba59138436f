package dev.mq.spring.autoconfigure.listenerruns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import dev.mq.core.ReceivedMessage;
import dev.mq.spring.autoconfigure.MQTemplate;
import dev.mq.spring.listener.MQListener;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.MessageCollector;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A redeploy consumes nothing twice: an application stopped while its listener is busy finishes the
 * running handlers and commits exact offsets before its client closes, and the next run of the same
 * group starts exactly there. Messages are counted by id across both runs.
 */
@WithEmbeddedRocketMQ(shared = true, brokerProperties = "messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s")
class ListenerRedeployTest {

    static final String TOPIC = "LRedeploy";
    static final int MESSAGES = 300;
    static final MessageCollector<String> RECEIVED = new MessageCollector<>();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Slow slow() {
            return new Slow();
        }
    }

    static class Slow {
        @MQListener(topic = TOPIC, group = "l-redeploy", consumeFrom = "FIRST_OFFSET", concurrency = "2")
        void on(ReceivedMessage message) throws InterruptedException {
            Thread.sleep(50); // work that takes a while, so that the shutdown finds handlers running
            RECEIVED.add(message.messageId());
        }
    }

    private static ConfigurableApplicationContext run() {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("mq.producer.group=l-redeploy-producer", "mq.producer.send-timeout=15s",
                        "mq.consumer.commit-interval=500ms", "mq.consumer.shutdown-timeout=20s")
                .run();
    }

    /**
     * The first send of a new client looks the route up; on a machine busy with other builds the
     * name server may miss its 3 s deadline once, which is not what this test is about.
     */
    private static String firstSend(MQTemplate template, String payload) {
        for (int attempt = 1; ; attempt++) {
            try {
                return template.syncSend(TOPIC, payload).messageId();
            } catch (MQException e) {
                if (attempt == 3 || e.reason() == MQException.Reason.VALIDATION) {
                    throw e;
                }
            }
        }
    }

    @Test
    void twoRunsOfOneGroupConsumeEveryMessageExactlyOnce(EmbeddedRocketMQ mq) {
        mq.createTopic(TOPIC, 4);
        List<String> sent = new ArrayList<>();
        ConfigurableApplicationContext first = run();
        try {
            MQTemplate template = first.getBean(MQTemplate.class);
            sent.add(firstSend(template, "m-0"));
            for (int i = 1; i < MESSAGES; i++) {
                sent.add(template.syncSend(TOPIC, "m-" + i).messageId());
            }
            RECEIVED.await(40, Duration.ofSeconds(60));
        } finally {
            first.close(); // graceful: listeners stop before the client closes
        }
        int inFirstRun = RECEIVED.count();
        assertThat(inFirstRun).as("the first run stopped in the middle of the stream").isLessThan(MESSAGES);
        try (ConfigurableApplicationContext second = run()) {
            RECEIVED.awaitUntil(r -> new HashSet<>(r).containsAll(sent), "every message", Duration.ofSeconds(90));
        }
        assertThat(RECEIVED.all()).as("no message handled twice").hasSize(MESSAGES).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(sent);
    }
}
