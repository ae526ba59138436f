package dev.mq.spring.autoconfigure.listenerruns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.consumer.MessageModel;
import dev.mq.spring.autoconfigure.MQTemplate;
import dev.mq.spring.listener.MQHeaders;
import dev.mq.spring.listener.MQListener;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.MessageCollector;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

/**
 * Orderly and broadcasting listeners on a real broker: per hash key, an orderly listener sees the
 * messages in the order sent, a failed one retried in place before the next; each of two instances of
 * a broadcasting group receives every message.
 */
@WithEmbeddedRocketMQ(shared = true, brokerProperties = "messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s")
class ListenerOrderlyBroadcastTest {

    static final MessageCollector<String> ORDERED = new MessageCollector<>();
    static final Map<String, MessageCollector<String>> BROADCAST = new ConcurrentHashMap<>();
    static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OrderlyApp {
        @Bean
        Ordered ordered() {
            return new Ordered();
        }
    }

    static class Ordered {
        @MQListener(topic = "LOrderly", group = "l-orderly", orderly = true, consumeFrom = "FIRST_OFFSET")
        void on(String text) {
            if (text.equals("c1-3") && FAILED_ONCE.add(text)) {
                throw new IllegalStateException("first delivery of " + text + " fails");
            }
            ORDERED.add(text);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class BroadcastApp {
        @Bean
        Broadcast broadcast(org.springframework.core.env.Environment environment) {
            return new Broadcast(environment.getProperty("mq.client.instance-name"));
        }
    }

    static class Broadcast {
        private final String instance;

        Broadcast(String instance) {
            this.instance = instance;
        }

        @MQListener(topic = "LBroadcast", group = "l-broadcast", mode = MessageModel.BROADCASTING,
                consumeFrom = "FIRST_OFFSET")
        void on(String text, @Header(MQHeaders.MESSAGE_ID) String id) {
            BROADCAST.computeIfAbsent(instance, k -> new MessageCollector<>()).add(text);
        }
    }

    @Test
    void anOrderlyListenerKeepsEachKeysOrderAndRetriesInPlace(EmbeddedRocketMQ mq) {
        mq.createTopic("LOrderly", 4);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(OrderlyApp.class)
                .web(WebApplicationType.NONE).properties("mq.producer.group=l-orderly-producer",
                        "mq.producer.send-timeout=15s", "mq.consumer.orderly-retry-delay=200ms").run()) {
            MQTemplate template = app.getBean(MQTemplate.class);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                for (String key : List.of("c0", "c1", "c2")) {
                    template.syncSendOrderly("LOrderly", key + "-" + i, key);
                    sent.add(key + "-" + i);
                }
            }
            List<String> received = ORDERED.await(sent.size(), Duration.ofSeconds(60));
            for (String key : List.of("c0", "c1", "c2")) {
                assertThat(received.stream().filter(t -> t.startsWith(key + "-")).collect(Collectors.toList()))
                        .as("the order of " + key)
                        .containsExactlyElementsOf(sent.stream().filter(t -> t.startsWith(key + "-")).toList());
            }
        }
    }

    @Test
    void everyInstanceOfABroadcastingGroupReceivesEveryMessage(EmbeddedRocketMQ mq, @TempDir Path offsets) {
        mq.createTopic("LBroadcast", 2);
        try (ConfigurableApplicationContext a = broadcastApp("a", offsets.resolve("a"));
             ConfigurableApplicationContext b = broadcastApp("b", offsets.resolve("b"))) {
            MQTemplate template = a.getBean(MQTemplate.class);
            for (int i = 0; i < 10; i++) {
                template.syncSend("LBroadcast", "m-" + i);
            }
            for (String instance : List.of("a", "b")) {
                MessageCollector<String> got = BROADCAST.computeIfAbsent(instance, k -> new MessageCollector<>());
                assertThat(got.await(10, Duration.ofSeconds(60))).as(instance)
                        .containsExactlyInAnyOrder("m-0", "m-1", "m-2", "m-3", "m-4", "m-5", "m-6", "m-7", "m-8", "m-9");
            }
        }
    }

    private static ConfigurableApplicationContext broadcastApp(String instance, Path offsets) {
        return new SpringApplicationBuilder(BroadcastApp.class).web(WebApplicationType.NONE)
                .properties("mq.producer.group=l-broadcast-producer-" + instance, "mq.producer.send-timeout=15s",
                        "mq.client.instance-name=" + instance, "mq.consumer.offset-store-directory=" + offsets)
                .run();
    }
}
