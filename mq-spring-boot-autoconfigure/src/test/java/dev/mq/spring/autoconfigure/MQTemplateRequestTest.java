package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.databind.json.JsonMapper;

/** {@link MQTemplate}'s request-reply over a recording producer: conversion both ways, the timeout, failures, metrics. */
class MQTemplateRequestTest {

    private final RecordingProducer producer = new RecordingProducer();
    private final MQTemplate template = new MQTemplate(producer, new JacksonPayloadConverter(JsonMapper.shared()));
    private final MeterRegistry meters = new SimpleMeterRegistry();

    record Order(String id, int amount) {
    }

    MQTemplateRequestTest() {
        template.requestMetrics(new MicrometerRequestReplyMetrics(meters));
    }

    private static ReceivedMessage reply(String body, String contentType) {
        return ReceivedMessage.builder("DefaultCluster_REPLY_TOPIC", "R-1",
                        new MessageQueue("DefaultCluster_REPLY_TOPIC", "broker-a", 0))
                .body(body.getBytes(StandardCharsets.UTF_8))
                .properties(Map.of(MQPayloadConverter.CONTENT_TYPE_PROPERTY, contentType))
                .requestReply("c-1", "client", 3000, true).build();
    }

    @Test
    void theRequestIsConvertedAsASendAndTheReplyToTheAskedType() throws Exception {
        CompletableFuture<Order> answer = template.asyncSendAndReceive("Orders:quote", new Order("o-1", 5), Order.class,
                Duration.ofSeconds(2));
        assertThat(producer.requests).hasSize(1);
        RecordingProducer.RecordedRequest request = producer.requests.get(0);
        assertThat(request.message().topic()).isEqualTo("Orders");
        assertThat(request.message().tags()).isEqualTo("quote");
        assertThat(new String(request.message().body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"o-1\",\"amount\":5}");
        assertThat(request.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(answer).isNotDone(); // no thread waits for the reply

        request.reply().complete(reply("{\"id\":\"o-1\",\"amount\":6}", "application/json"));
        assertThat(answer.get(1, TimeUnit.SECONDS)).isEqualTo(new Order("o-1", 6));
        assertThat(meters.get("mq.producer.request").tags("topic", "Orders", "group", "recording", "outcome", "success")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void theSyncFormWaitsAndConvertsGenericTypes() {
        CompletableFuture.runAsync(() -> {
            while (producer.requests.isEmpty()) {
                Thread.onSpinWait();
            }
            producer.requests.get(0).reply().complete(reply("[{\"id\":\"a\",\"amount\":1}]", "application/json"));
        });
        List<Order> orders = template.sendAndReceive("Orders", "list", new ParameterizedTypeReference<List<Order>>() { });
        assertThat(orders).containsExactly(new Order("a", 1));
        assertThat(producer.requests.get(0).timeout()).isEqualTo(MQTemplate.DEFAULT_REQUEST_TIMEOUT);
    }

    @Test
    void aTimeoutIsThrownAsItsMQExceptionAndCounted() {
        CompletableFuture.runAsync(() -> {
            while (producer.requests.isEmpty()) {
                Thread.onSpinWait();
            }
            producer.requests.get(0).reply().completeExceptionally(
                    new MQException(MQException.Reason.TIMEOUT, "no reply within 100 ms"));
        });
        assertThatThrownBy(() -> template.sendAndReceive("Orders", "x", String.class, Duration.ofMillis(100)))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.TIMEOUT));
        assertThat(meters.get("mq.producer.request").tags("outcome", "timeout").timer().count()).isEqualTo(1);
        assertThat(meters.get("mq.producer.request.timeouts").tags("topic", "Orders").counter().count()).isEqualTo(1);
    }

    @Test
    void badArgumentsFailTheFutureWithValidationBeforeAnyRequest() {
        for (CompletableFuture<?> bad : List.of(
                template.asyncSendAndReceive("Orders", "x", (Class<String>) null),
                template.asyncSendAndReceive("", "x", String.class),
                template.asyncSendAndReceive("Orders", null, String.class),
                template.asyncSendAndReceive("Orders", "x", String.class, Duration.ZERO))) {
            assertThatThrownBy(() -> bad.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(MQException.class,
                            e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        }
        assertThat(producer.requests).isEmpty();
    }
}
