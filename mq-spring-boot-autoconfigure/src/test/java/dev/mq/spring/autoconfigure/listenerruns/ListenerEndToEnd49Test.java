package dev.mq.spring.autoconfigure.listenerruns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.spring.autoconfigure.MQTemplate;
import dev.mq.spring.listener.MQHeaders;
import dev.mq.spring.listener.MQListener;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.MessageCollector;
import dev.mq.test.RocketMQVersion;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.support.MessageBuilder;

/** The basic path on RocketMQ 4.9.7: a typed listener receives JSON payloads with their keys and tags. */
@WithEmbeddedRocketMQ(version = RocketMQVersion.V4_9, topics = ListenerEndToEnd49Test.TOPIC)
class ListenerEndToEnd49Test {

    static final String TOPIC = "LOrders49";
    static final MessageCollector<String> RECEIVED = new MessageCollector<>();

    record Order(String id, int amount) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Billing billing() {
            return new Billing();
        }
    }

    static class Billing {
        @MQListener(topic = TOPIC, group = "l-49", selector = "created", consumeFrom = "FIRST_OFFSET")
        void on(Order order, @Header(MQHeaders.KEYS) String keys, @Header(MQHeaders.TAGS) String tags) {
            RECEIVED.add(order.id() + "/" + order.amount() + "/" + keys + "/" + tags);
        }
    }

    @Test
    void typedPayloadsArriveOn49(EmbeddedRocketMQ mq) {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("mq.producer.group=l-49-producer", "mq.producer.send-timeout=15s").run()) {
            MQTemplate template = app.getBean(MQTemplate.class);
            for (int i = 0; i < 5; i++) {
                template.syncSend(TOPIC + ":created", MessageBuilder.withPayload(new Order("o-" + i, i))
                        .setHeader(MQTemplate.KEYS, "k-" + i).build());
            }
            template.syncSend(TOPIC + ":other", new Order("filtered", 0));
            List<String> received = RECEIVED.await(5, Duration.ofSeconds(60));
            assertThat(received).containsExactlyInAnyOrder("o-0/0/k-0/created", "o-1/1/k-1/created",
                    "o-2/2/k-2/created", "o-3/3/k-3/created", "o-4/4/k-4/created");
        }
        assertThat(RECEIVED.all()).as("the selector kept the other tag out").hasSize(5);
    }
}
