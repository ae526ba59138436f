package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.support.MessageBuilder;
import tools.jackson.databind.json.JsonMapper;

class MQTemplateTest {

    private final RecordingProducer producer = new RecordingProducer();
    private final MQTemplate template = new MQTemplate(producer, new JacksonPayloadConverter(JsonMapper.shared()));

    record Order(String id, int amount) {
    }

    private Message last() {
        return producer.sent.get(producer.sent.size() - 1);
    }

    @Test
    void destinationIsTopicOrTopicWithTags() {
        template.syncSend("Orders", "x");
        assertThat(last().topic()).isEqualTo("Orders");
        assertThat(last().tags()).isNull();
        template.syncSend("Orders:created", "x");
        assertThat(last().tags()).isEqualTo("created");
        for (String bad : new String[] {"", "Orders:", ":tag", "a:b:c"}) {
            assertThatThrownBy(() -> template.syncSend(bad, "x")).as(bad).isInstanceOfSatisfying(MQException.class,
                    e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        }
    }

    @Test
    void payloadsBecomeBytesTextOrJson() {
        template.syncSend("T", new byte[] {1, 2, 3});
        assertThat(last().body()).containsExactly(1, 2, 3);
        assertThat(last().properties()).doesNotContainKey("contentType");
        template.syncSend("T", "héllo");
        assertThat(new String(last().body(), StandardCharsets.UTF_8)).isEqualTo("héllo");
        assertThat(last().properties()).containsEntry("contentType", "text/plain;charset=UTF-8");
        template.syncSend("T", new Order("o-1", 5));
        assertThat(new String(last().body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"o-1\",\"amount\":5}");
        assertThat(last().properties()).containsEntry("contentType", "application/json");
    }

    @Test
    void springMessageHeadersAreHonouredNotDropped() {
        template.syncSend("T", MessageBuilder.withPayload("p").setHeader(MQTemplate.KEYS, "k1 k2")
                .setHeader(MQTemplate.TAGS, "t1").setHeader(MQTemplate.DELAY, 3).setHeader("tenant", "acme")
                .setHeader("attempt", 7).build());
        Message m = last();
        assertThat(m.keys()).containsExactly("k1", "k2");
        assertThat(m.tags()).isEqualTo("t1");
        assertThat(m.delayLevel()).isEqualTo(3);
        assertThat(m.properties()).containsEntry("tenant", "acme").containsEntry("attempt", "7")
                .doesNotContainKeys("id", "timestamp");
        template.syncSend("T", MessageBuilder.withPayload("p").setHeader(MQTemplate.KEYS, List.of("a", "b")).build());
        assertThat(last().keys()).containsExactly("a", "b");
    }

    @Test
    void aHandBuiltTemplateMapsHeadersWithTheMapperItIsGiven() {
        MQTemplate own = new MQTemplate(producer, new JacksonPayloadConverter(JsonMapper.shared()),
                (headers, message, topic, tags) -> message.keys("from-" + headers.get("order")));
        own.syncSend("T:t", MessageBuilder.withPayload("p").setHeader("order", "o-1").build());
        assertThat(last().keys()).containsExactly("from-o-1");
        assertThat(last().tags()).isEqualTo("t");
        assertThat(last().properties()).doesNotContainKey("order")
                .containsEntry("contentType", "text/plain;charset=UTF-8");
        own.syncSend("T", List.of(MessageBuilder.withPayload("a").setHeader("order", "o-2").build(), "b"));
        assertThat(producer.sent).extracting(Message::keys).endsWith(List.of("from-o-2"), List.of());
    }

    @Test
    void conflictingOrReservedHeadersFailWithValidation() {
        assertThatThrownBy(() -> template.syncSend("T:one", MessageBuilder.withPayload("p")
                .setHeader(MQTemplate.TAGS, "two").build())).isInstanceOfSatisfying(MQException.class,
                e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        assertThatThrownBy(() -> template.syncSend("T", MessageBuilder.withPayload("p")
                .setHeader("UNIQ_KEY", "forged").build())).isInstanceOfSatisfying(MQException.class,
                e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        assertThatThrownBy(() -> template.syncSend("T", MessageBuilder.withPayload("p")
                .setHeader(MQTemplate.DELAY, "soon").build())).hasMessageContaining("DELAY");
    }

    @Test
    void everyModeOrderlyDelayedScheduledAndTimedVariant() {
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        template.syncSend("T", "a", Duration.ofSeconds(7));
        assertThat(producer.timeouts).last().isEqualTo(Duration.ofSeconds(7));
        template.syncSendOrderly("T", "b", "key-1");
        assertThat(producer.hashKeys).last().isEqualTo("key-1");
        template.syncSendDelayed("T", "c", Duration.ofSeconds(30));
        assertThat(last().deliveryDelay()).isEqualTo(Duration.ofSeconds(30));
        template.syncSendAt("T", "d", at);
        assertThat(last().deliverAt()).isEqualTo(at);
        template.asyncSend("T", "e").join();
        template.asyncSendOrderly("T", "f", "key-2").join();
        template.asyncSendDelayed("T", "g", Duration.ofMinutes(1)).join();
        template.asyncSendAt("T", "h", at).join();
        template.sendOneWay("T", "i");
        template.sendOneWayOrderly("T", "j", "key-3");
        template.sendOneWayDelayed("T", "k", Duration.ofSeconds(1));
        template.sendOneWayAt("T", "l", at);
        assertThat(producer.modes).containsExactly("sync", "sync", "sync", "sync", "async", "async", "async",
                "async", "oneway", "oneway", "oneway", "oneway");
        assertThat(producer.hashKeys).containsExactly(null, "key-1", null, null, null, "key-2", null, null, null,
                "key-3", null, null);
    }

    @Test
    void collectionsAreSentAsOneBatch() {
        template.syncSend("T:batch", List.of("a", "b", "c"));
        assertThat(producer.modes).containsExactly("batch", "batch", "batch");
        assertThat(producer.sent).extracting(Message::tags).containsOnly("batch");
        assertThat(template.asyncSend("T", List.of()).isCompletedExceptionally()).isTrue();
    }

    @Test
    void asyncValidationErrorsArriveThroughTheFuture() {
        assertThat(template.asyncSend("bad:", "x")).isCompletedExceptionally();
    }

    @Test
    void observationWritesTheTraceContextIntoTheMessageProperties() {
        MQTemplate observed = new MQTemplate(producer, new JacksonPayloadConverter(JsonMapper.shared()),
                new DefaultMQHeaderMapper(), new ObservationSendObserver(tracingRegistry(new AtomicInteger()), "g"));
        observed.syncSend("Traced", "x");
        assertThat(last().properties()).containsEntry("traceparent", "00-trace-span-01");
    }

    @Test
    void observedBatchesCarryTheTraceContextInEveryMessage() {
        AtomicInteger observations = new AtomicInteger();
        MQTemplate observed = new MQTemplate(producer, new JacksonPayloadConverter(JsonMapper.shared()),
                new DefaultMQHeaderMapper(), new ObservationSendObserver(tracingRegistry(observations), "g"));
        observed.syncSend("Traced", List.of("a", "b"));
        observed.asyncSend("Traced", List.of("c", "d", "e"), Duration.ofSeconds(1)).join();
        assertThat(producer.modes).containsExactly("batch", "batch", "batch", "batch", "batch");
        assertThat(producer.sent).allSatisfy(m ->
                assertThat(m.properties()).containsEntry("traceparent", "00-trace-span-01"));
        assertThat(observations).as("one observation per batch, not per message").hasValue(2);
    }

    /**
     * A registry whose handler writes a trace header into each send's carrier, as a tracing bridge does,
     * and counts the observations started.
     */
    private static ObservationRegistry tracingRegistry(AtomicInteger started) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<SenderContext<Map<String, String>>>() {
            @Override
            public void onStart(SenderContext<Map<String, String>> context) {
                started.incrementAndGet();
                context.getSetter().set(context.getCarrier(), "traceparent", "00-trace-span-01");
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof SenderContext;
            }
        });
        return registry;
    }
}
