package dev.mq.spring.autoconfigure.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.SendResult;
import dev.mq.spring.autoconfigure.MQTemplate;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.OfficialConsumer;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.mq.test.StoredMessage;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The starter as a user meets it: an application with two properties, MQTemplate injected, the real
 * broker, Apache's consumer reading back, and Actuator over real HTTP.
 */
@WithEmbeddedRocketMQ(topics = StarterEndToEndTest.TOPIC)
@SpringBootTest(classes = E2EApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "mq.producer.group=e2e-producer",
            "mq.client.access-key=e2e-access",
            "mq.client.secret-key=e2e-very-secret",
            "management.endpoints.web.exposure.include=health,metrics",
            "management.endpoint.health.show-details=always"
        })
@AutoConfigureRestTestClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StarterEndToEndTest {

    static final String TOPIC = "StarterE2E";
    private static final int PER_MODE = 20;

    @Autowired
    MQTemplate template;

    @Autowired
    RestTestClient http;

    record OrderPlaced(String id, int amount) {
    }

    @Test
    @Order(1)
    void sendsInEveryModeAndTheOfficialConsumerReadsItAllBack(EmbeddedRocketMQ mq) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < PER_MODE; i++) {
            SendResult r = template.syncSend(TOPIC + ":sync", new OrderPlaced("s-" + i, i));
            ids.add(r.messageId());
        }
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < PER_MODE; i++) {
            futures.add(template.asyncSend(TOPIC, MessageBuilder.withPayload("async-" + i)
                    .setHeader(MQTemplate.KEYS, "key-" + i).setHeader(MQTemplate.TAGS, "async")
                    .setHeader("tenant", "acme").build()));
        }
        for (CompletableFuture<SendResult> f : futures) {
            ids.add(f.get(10, TimeUnit.SECONDS).messageId());
        }
        for (int i = 0; i < PER_MODE; i++) {
            template.sendOneWay(TOPIC + ":oneway", ("oneway-" + i).getBytes(StandardCharsets.UTF_8));
        }

        List<StoredMessage> read = OfficialConsumer.readAll(mq.nameServerAddress(), TOPIC, 3 * PER_MODE,
                Duration.ofSeconds(60));
        assertThat(read).hasSize(3 * PER_MODE);
        assertThat(read).extracting(StoredMessage::getMsgId).containsAll(ids);
        JsonMapper json = JsonMapper.shared();
        for (StoredMessage m : read) {
            String body = new String(m.getBody(), StandardCharsets.UTF_8);
            switch (m.getTags()) {
                case "sync" -> {
                    assertThat(m.getUserProperty("contentType")).isEqualTo("application/json");
                    assertThat(json.readTree(body).get("id").asString()).startsWith("s-");
                }
                case "async" -> {
                    assertThat(body).startsWith("async-");
                    assertThat(m.getKeys()).isEqualTo("key-" + body.substring("async-".length()));
                    assertThat(m.getUserProperty("tenant")).isEqualTo("acme");
                }
                case "oneway" -> assertThat(body).startsWith("oneway-");
                default -> throw new AssertionError("unexpected tag " + m.getTags());
            }
        }
    }

    @Test
    @Order(2)
    void actuatorMetricsCountEverySendByModeAndResult() {
        assertThat(count("mode:sync", "result:success")).isEqualTo(PER_MODE);
        assertThat(count("mode:async", "result:success")).isEqualTo(PER_MODE);
        assertThat(count("mode:oneway", "result:success")).isEqualTo(PER_MODE);
        assertThat(count("topic:" + TOPIC, "group:e2e-producer")).isEqualTo(3 * PER_MODE);
    }

    @Test
    @Order(3)
    void healthIsUpWithBrokersAndShowsNoSecret() {
        String body = http.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody();
        JsonNode mq = JsonMapper.shared().readTree(body).get("components").get("mq");
        assertThat(mq.get("status").asString()).isEqualTo("UP");
        assertThat(mq.get("details").get("brokers").size()).isEqualTo(1);
        assertThat(body).doesNotContain("e2e-very-secret");
    }

    @Test
    @Order(4)
    void healthIsDownOnceTheBrokerIsGone(EmbeddedRocketMQ mq) throws InterruptedException {
        mq.stopBroker(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String status;
        do {
            String body = http.get().uri("/actuator/health").exchange().returnResult(String.class).getResponseBody();
            status = JsonMapper.shared().readTree(body).get("components").get("mq").get("status").asString();
            if (!status.equals("DOWN")) {
                Thread.sleep(100);
            }
        } while (!status.equals("DOWN") && System.nanoTime() < deadline);
        assertThat(status).isEqualTo("DOWN");
        mq.startBroker(0);
    }

    private long count(String... tags) {
        StringBuilder uri = new StringBuilder("/actuator/metrics/mq.producer.send?");
        for (String tag : tags) {
            uri.append("tag=").append(tag).append('&');
        }
        String body = http.get().uri(uri.toString()).exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody();
        for (JsonNode m : JsonMapper.shared().readTree(body).get("measurements")) {
            if (m.get("statistic").asString().equals("COUNT")) {
                return (long) m.get("value").asDouble();
            }
        }
        throw new AssertionError("no COUNT in " + body);
    }
}
