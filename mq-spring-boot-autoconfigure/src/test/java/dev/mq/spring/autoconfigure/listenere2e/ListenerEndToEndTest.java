package dev.mq.spring.autoconfigure.listenere2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.spring.autoconfigure.MQTemplate;
import dev.mq.spring.autoconfigure.listenere2e.Listeners.Delivery;
import dev.mq.spring.autoconfigure.listenere2e.Listeners.Typed;
import dev.mq.spring.listener.MQListenerContainer;
import dev.mq.spring.listener.MQListenerRegistry;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.OfficialConsumer;
import dev.mq.test.StoredMessage;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code @MQListener} as a user meets it, on a real 5.5.0 broker: typed payloads and headers, batch
 * with a partial failure, retry then dead letter, an error handler, an async result, pause and
 * resume, a restart, metrics and lag in {@code /actuator/metrics}, health details (OUT_OF_SERVICE above
 * the lag threshold, DOWN when a listener failed to start), and a trace that
 * continues from the send into the handler.
 */
@WithEmbeddedRocketMQ(shared = true, brokerProperties = ListenerEndToEndTest.FAST_RETRIES)
@SpringBootTest(classes = ListenerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "mq.producer.group=l-e2e-producer",
            "mq.producer.send-timeout=15s",
            "mq.producer.observation-enabled=true",
            "mq.consumer.observation-enabled=true",
            "mq.consumer.commit-interval=500ms",
            "mq.consumer.shutdown-timeout=10s",
            "mq.consumer.health-lag-threshold=2",
            "listener-e2e.typed-topic=LTyped",
            "management.endpoints.web.exposure.include=health,metrics",
            "management.endpoint.health.show-details=always"
        })
@AutoConfigureRestTestClient
@DirtiesContext // closed (its listeners stopped gracefully) while the shared broker still runs
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ListenerEndToEndTest {

    /** Every delay level 1 s, so that retries arrive in seconds instead of minutes. */
    static final String FAST_RETRIES = "messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s";
    static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    MQTemplate template;

    @Autowired
    Listeners listeners;

    @Autowired
    MQListenerRegistry registry;

    @Autowired
    RestTestClient http;

    @BeforeAll
    static void topics(EmbeddedRocketMQ mq) {
        for (String topic : List.of("LTyped", "LBatch", "LRetry", "LHandled", "LAsync", "LGated", "LDoomed", "LQuote")) {
            mq.createTopic(topic, 2);
        }
    }

    @Test
    @Order(1)
    void typedJsonPayloadsWithHeadersAndTheSendersTrace() {
        Map<String, String> traceOf = new HashMap<>();
        Map<String, String> idOf = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            String id = template.syncSend("LTyped", MessageBuilder.withPayload(new Listeners.Order("o-" + i, i))
                    .setHeader(MQTemplate.KEYS, "key-" + i).setHeader("tenant", "acme").build()).messageId();
            List<String> traces = ListenerApplication.SENT_TRACES.all();
            traceOf.put("o-" + i, traces.get(traces.size() - 1));
            idOf.put("o-" + i, id);
        }
        List<Typed> received = listeners.typed.await(10, WAIT);
        assertThat(received).hasSize(10);
        for (Typed t : received) {
            String orderId = t.order().id();
            assertThat(t.order().amount()).isEqualTo(Integer.parseInt(orderId.substring(2)));
            assertThat(t.keys()).isEqualTo("key-" + t.order().amount());
            assertThat(t.tenant()).isEqualTo("acme");
            assertThat(t.messageId()).isEqualTo(idOf.get(orderId));
            assertThat(t.traceId()).as("the handler runs in the trace of the send").isEqualTo(traceOf.get(orderId));
        }
    }

    @Test
    @Order(2)
    void aBatchWithOneFailedElementRedeliversOnlyThatOne() {
        List<String> ids = List.of("b0", "b1", "bad", "b3", "b4", "b5");
        for (String id : ids) {
            template.syncSend("LBatch", new Listeners.Order(id, id.equals("bad") ? -1 : 1));
        }
        List<Delivery> deliveries = listeners.batch.awaitUntil(
                d -> d.contains(new Delivery("bad", 1)) && d.stream().map(Delivery::id).distinct().count() == 6,
                "every element, and the failed one again", WAIT);
        assertThat(deliveries).filteredOn(d -> d.id().equals("bad")).containsExactly(new Delivery("bad", 0),
                new Delivery("bad", 1));
        assertThat(deliveries).filteredOn(d -> !d.id().equals("bad")).extracting(Delivery::id)
                .containsExactlyInAnyOrder("b0", "b1", "b3", "b4", "b5");
    }

    @Test
    @Order(3)
    void aFailingMessageIsRetriedThenDeadLettered(EmbeddedRocketMQ mq) {
        String id = template.syncSend("LRetry", "always fails").messageId();
        assertThat(listeners.retried.await(2, WAIT)).containsExactly(new Delivery(id, 0), new Delivery(id, 1));
        assertThat(readDeadLetters(mq, "%DLQ%l-retry")).extracting(StoredMessage::getMsgId).containsExactly(id);
    }

    @Test
    @Order(4)
    void theErrorHandlerDeadLettersAtOnce(EmbeddedRocketMQ mq) {
        String id = template.syncSend("LHandled", "poison").messageId();
        assertThat(readDeadLetters(mq, "%DLQ%l-handled")).extracting(StoredMessage::getMsgId).containsExactly(id);
        assertThat(listeners.handled.all()).containsExactly(new Delivery(id, 0));
    }

    @Test
    @Order(5)
    void anAsyncResultCompletesOnAnotherThread() {
        for (int i = 0; i < 5; i++) {
            template.syncSend("LAsync", "async-" + i);
        }
        assertThat(listeners.async.await(5, WAIT)).containsExactlyInAnyOrder("async-0", "async-1", "async-2",
                "async-3", "async-4");
        assertThat(metric("mq.consumer.process", "group:l-async", "result:success")).isEqualTo(5);
    }

    @Test
    @Order(5)
    void aListenersReturnValueAnswersSendAndReceive() throws Exception {
        Listeners.Order quoted = template.sendAndReceive("LQuote", new Listeners.Order("q-0", 21),
                Listeners.Order.class, WAIT);
        assertThat(quoted).isEqualTo(new Listeners.Order("q-0", 42));
        List<CompletableFuture<Listeners.Order>> replies = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            replies.add(template.asyncSendAndReceive("LQuote", new Listeners.Order("q-" + i, i),
                    Listeners.Order.class, WAIT));
        }
        for (int i = 1; i <= 5; i++) {
            assertThat(replies.get(i - 1).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo(new Listeners.Order("q-" + i, 2 * i));
        }
        assertThat(metric("mq.producer.request", "topic:LQuote", "outcome:success")).isEqualTo(6);
    }

    @Test
    @Order(6)
    void lagShowsWhatIsPulledButNotFinishedAndMetricsCountEveryOutcome() {
        listeners.gate = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            template.syncSend("LGated", "gated-" + i);
        }
        awaitMetric("mq.consumer.lag", v -> v == 3, "group:l-gated", "topic:LGated");
        assertThat(metric("mq.consumer.cached.messages", "group:l-gated")).isEqualTo(3);
        JsonNode behind = mqHealth();
        assertThat(behind.get("status").asString()).as("lag 3 is above the threshold 2").isEqualTo("OUT_OF_SERVICE");
        assertThat(behind.get("details").get("reason").asString()).contains("lag of listener l-gated is 3");
        listeners.gate.countDown();
        listeners.gated.await(3, WAIT);
        awaitMetric("mq.consumer.lag", v -> v == 0, "group:l-gated", "topic:LGated");
        assertThat(metric("mq.consumer.process", "group:l-typed", "topic:LTyped", "result:success")).isEqualTo(10);
        assertThat(metric("mq.consumer.retries", "group:l-retry")).isEqualTo(1);
        assertThat(metric("mq.consumer.dead-letters", "group:l-retry")).isEqualTo(1);
        assertThat(metric("mq.consumer.dead-letters", "group:l-handled")).isEqualTo(1);
        assertThat(metric("mq.consumer.retries", "group:l-batch")).isEqualTo(1);
    }

    @Test
    @Order(7)
    void aPausedListenerReceivesNothingUntilResumed() throws InterruptedException {
        int before = listeners.gated.count();
        registry.pause("l-gated");
        try {
            assertThat(registry.require("l-gated").isPaused()).isTrue();
            // A pause stops new pulls; the long poll already waiting at the broker for the queue may
            // still answer with the next message stored there. After that answer the queue is quiet.
            template.syncSendOrderly("LGated", "paused-1", "one-queue");
            String held = "paused-1";
            if (awaitQuietly(listeners.gated, before + 1, Duration.ofSeconds(5))) {
                template.syncSendOrderly("LGated", "paused-2", "one-queue");
                held = "paused-2";
            }
            Thread.sleep(3000); // a negative check needs a window: a pull, were one made, takes milliseconds
            assertThat(listeners.gated.all()).doesNotContain(held);
        } finally {
            registry.resume("l-gated");
        }
        assertThat(registry.require("l-gated").isPaused()).isFalse();
        assertThat(listeners.gated.awaitUntil(g -> g.contains("paused-1") && (g.size() == before + 1
                || g.contains("paused-2")), "what was sent while paused", WAIT)).isNotEmpty();
    }

    private static boolean awaitQuietly(dev.mq.test.MessageCollector<?> collector, int count, Duration timeout) {
        try {
            collector.await(count, timeout);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    @Test
    @Order(8)
    void aStoppedListenerCanBeStartedAgainAndResumesWhereItStopped() {
        MQListenerContainer container = registry.require("l-gated");
        container.stop();
        assertThat(container.isRunning()).isFalse();
        int before = listeners.gated.count();
        template.syncSend("LGated", "while-stopped");
        container.start();
        assertThat(container.isRunning()).isTrue();
        List<String> all = listeners.gated.await(before + 1, WAIT);
        assertThat(all).filteredOn("while-stopped"::equals).hasSize(1);
    }

    @Test
    @Order(9)
    void healthListsEveryListenerWithItsQueuesAndLag() {
        JsonNode listenersDetail = mqHealth().get("details").get("listeners");
        JsonNode typed = listenersDetail.get("l-typed");
        assertThat(typed.get("state").asString()).isEqualTo("RUNNING");
        assertThat(typed.get("topic").asString()).isEqualTo("LTyped");
        assertThat(typed.get("method").asString()).isEqualTo("Listeners.onOrder(Order, String, String, String)");
        List<String> queues = new ArrayList<>();
        typed.get("assignedQueues").forEach(q -> queues.add(q.asString()));
        assertThat(queues).filteredOn(q -> q.startsWith("LTyped@")).hasSize(2);
        assertThat(queues).as("and the group's retry queue").anyMatch(q -> q.startsWith("%RETRY%l-typed@"));
        assertThat(typed.get("lag").asLong()).isZero();
        assertThat(listenersDetail.get("l-doomed").get("state").asString()).isEqualTo("CREATED");
        assertThat(mqHealth().get("status").asString()).isEqualTo("UP");
    }

    @Test
    @Order(10)
    void aListenerThatFailedToStartMakesHealthDown() {
        MQListenerContainer doomed = registry.require("l-doomed");
        doomed.consumer().close();
        try {
            registry.start("l-doomed");
        } catch (RuntimeException expected) {
            // kept as the container's failure
        }
        assertThat(doomed.failure()).isNotNull();
        JsonNode mq = mqHealth();
        assertThat(mq.get("status").asString()).isEqualTo("DOWN");
        assertThat(mq.get("details").get("reason").asString()).contains("listener l-doomed failed");
    }

    private JsonNode mqHealth() {
        String body = http.get().uri("/actuator/health").exchange().returnResult(String.class).getResponseBody();
        return JsonMapper.shared().readTree(body).get("components").get("mq");
    }

    static List<StoredMessage> readDeadLetters(EmbeddedRocketMQ mq, String dlq) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return OfficialConsumer.readAll(mq.nameServerAddress(), dlq, 1, WAIT);
            } catch (IllegalStateException e) { // no route until the broker made the topic for its first message
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void awaitMetric(String name, Predicate<Double> condition, String... tags) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Double> seen = new ArrayList<>();
        while (true) {
            double value = metric(name, tags);
            seen.add(value);
            if (condition.test(value)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " never met the condition; values seen: " + seen);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The COUNT of a timer or counter, or the VALUE of a gauge, from /actuator/metrics. */
    private double metric(String name, String... tags) {
        StringBuilder uri = new StringBuilder("/actuator/metrics/" + name + "?");
        for (String tag : tags) {
            uri.append("tag=").append(tag).append('&');
        }
        String body = http.get().uri(uri.toString()).exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody();
        for (JsonNode m : JsonMapper.shared().readTree(body).get("measurements")) {
            String statistic = m.get("statistic").asString();
            if (statistic.equals("COUNT") || statistic.equals("VALUE")) {
                return m.get("value").asDouble();
            }
        }
        throw new AssertionError("no COUNT or VALUE in " + body);
    }
}
