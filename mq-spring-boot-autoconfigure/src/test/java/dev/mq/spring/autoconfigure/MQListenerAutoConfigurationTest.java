package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.BatchResult;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeHook;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.ConsumerListener;
import dev.mq.core.consumer.MessageModel;
import dev.mq.core.consumer.MessageSelector;
import dev.mq.core.internal.consume.DefaultPushConsumer;
import dev.mq.core.metrics.MicrometerConsumeHook;
import dev.mq.spring.listener.BatchListenerFailedException;
import dev.mq.spring.listener.ListenerCustomizer;
import dev.mq.spring.listener.MQHeaders;
import dev.mq.spring.listener.MQListener;
import dev.mq.spring.listener.MQListenerContainer;
import dev.mq.spring.listener.MQListenerErrorHandler;
import dev.mq.spring.listener.MQListenerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;

/**
 * {@code @MQListener} without a broker: the containers the auto-configuration makes, their consumer
 * configuration, and the listener each hands its consumer, called here with hand-made messages.
 */
class MQListenerAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MQAutoConfiguration.class, MQMetricsAutoConfiguration.class,
                    MQObservationAutoConfiguration.class, MQListenerAutoConfiguration.class))
            .withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.consumer.auto-startup=false",
                    "app.topic=Orders", "app.concurrency=3", "app.audit-autostart=false");

    record Order(String id, int amount) {
    }

    static ReceivedMessage message(String body, int reconsumeTimes) {
        return ReceivedMessage.builder("Orders", "id-" + body.hashCode(), new MessageQueue("Orders", "broker-a", 1))
                .body(body.getBytes(StandardCharsets.UTF_8)).tags("created").keys(List.of("k1", "k2"))
                .properties(Map.of("tenant", "acme", "traceparent", "00-abc-def-01")).queueOffset(7)
                .reconsumeTimes(reconsumeTimes).build();
    }

    static ConsumerListener listenerOf(MQListenerContainer container) {
        return ((DefaultPushConsumer) container.consumer()).listener();
    }

    static ConsumeResult consume(MQListenerContainer container, ReceivedMessage message) throws Exception {
        return listenerOf(container).messageListener().consume(message);
    }

    // ---- listeners of the tests

    static class Billing {
        final List<Object> received = new CopyOnWriteArrayList<>();

        @MQListener(topic = "${app.topic}", group = "billing", selector = "created || paid",
                concurrency = "${app.concurrency}", maxReconsumeTimes = "2", consumeFrom = "FIRST_OFFSET")
        void onOrder(Order order) {
            if (order.amount() < 0) {
                throw new IllegalArgumentException("negative amount");
            }
            received.add(order);
        }

        @MQListener(topic = "Orders", group = "ledger", orderly = true)
        void onOrdered(@Payload Order order, @Header(MQHeaders.KEYS) String keys, @Header("tenant") String tenant,
                       @Header(MQHeaders.QUEUE_OFFSET) long offset, @Header(MQHeaders.TAGS) String tags) {
            received.add(List.of(order, keys, tenant, offset, tags));
        }

        @MQListener(topic = "Audit", group = "audit", mode = MessageModel.BROADCASTING,
                autoStartup = "${app.audit-autostart}")
        ConsumeResult onAudit(ReceivedMessage message) {
            received.add(message);
            return new String(message.body(), StandardCharsets.UTF_8).equals("bad") ? ConsumeResult.DEAD_LETTER
                    : ConsumeResult.SUCCESS;
        }

        @MQListener(topic = "Spring", group = "spring", selector = "region = 'eu'",
                selectorType = MessageSelector.Type.SQL92)
        void onSpringMessage(Message<Order> message) {
            received.add(message);
        }
    }

    static class Stats {
        final List<List<?>> batches = new CopyOnWriteArrayList<>();

        @MQListener(topic = "Clicks", group = "stats", batch = true, batchSize = "8")
        void onBatch(List<Order> clicks) {
            batches.add(clicks);
            for (int i = 0; i < clicks.size(); i++) {
                if (clicks.get(i).amount() < 0) {
                    throw new BatchListenerFailedException(i, new IllegalStateException("cannot store"));
                }
            }
        }

        @MQListener(topic = "Clicks", group = "stats-set", batch = true)
        BatchResult onBatchResult(List<ReceivedMessage> clicks) {
            batches.add(clicks);
            throw new BatchListenerFailedException(Set.of(0, 2), new IllegalStateException("two failed"));
        }
    }

    static class Async {
        final List<CompletableFuture<ConsumeResult>> pending = new CopyOnWriteArrayList<>();

        @MQListener(topic = "Orders", group = "async")
        CompletionStage<ConsumeResult> onOrder(Order order) {
            CompletableFuture<ConsumeResult> future = new CompletableFuture<>();
            pending.add(future);
            return future;
        }
    }

    /** Listeners whose return value is the reply to a request (a String return was a start-up error before). */
    static class Responder {
        @MQListener(topic = "Quotes", group = "quotes")
        Order quote(Order order) {
            return new Order(order.id(), order.amount() * 2);
        }

        @MQListener(topic = "Quotes", group = "async-quotes")
        CompletionStage<String> quoteLater(String text) {
            return CompletableFuture.supplyAsync(() -> "async:" + text);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        @Bean
        Billing billing() {
            return new Billing();
        }

        @Bean
        Stats stats() {
            return new Stats();
        }
    }

    // ---- containers and configuration

    @Test
    void everyAnnotatedMethodGetsAContainerWithItsSettingsPlaceholdersResolved() {
        runner.withUserConfiguration(Listeners.class).run(context -> {
            MQListenerRegistry registry = context.getBean(MQListenerRegistry.class);
            assertThat(registry.containers()).extracting(MQListenerContainer::id)
                    .containsExactlyInAnyOrder("billing", "ledger", "audit", "spring", "stats", "stats-set");
            MQListenerContainer billing = registry.require("billing");
            ConsumerConfig config = billing.consumer().config();
            assertThat(config.subscriptions()).containsExactly(Map.entry("Orders", MessageSelector.tags("created || paid")));
            assertThat(config.concurrency()).isEqualTo(3);
            assertThat(config.maxReconsumeTimes()).isEqualTo(2);
            assertThat(config.consumeFrom()).isEqualTo(ConsumeFrom.FIRST_OFFSET);
            assertThat(config.messageModel()).isEqualTo(MessageModel.CLUSTERING);
            assertThat(billing.listenerMethod()).isEqualTo("Billing.onOrder(Order)");
            assertThat(billing.isAutoStartup()).isFalse();
            assertThat(billing.isRunning()).isFalse();
            assertThat(registry.require("ledger").consumer().config().orderly()).isTrue();
            assertThat(registry.require("audit").consumer().config().messageModel()).isEqualTo(MessageModel.BROADCASTING);
            assertThat(registry.require("spring").consumer().config().subscriptions().get("Spring"))
                    .isEqualTo(MessageSelector.sql92("region = 'eu'"));
            assertThat(registry.require("stats").consumer().config().batchSize()).isEqualTo(8);
            assertThat(listenerOf(registry.require("stats")).kind()).isEqualTo(ConsumerListener.Kind.BATCH);
            assertThat(registry.require("billing").consumer().config().threadFactory())
                    .as("platform threads on Java 17 / without spring.threads.virtual.enabled").isNull();
        });
    }

    @Test
    void consumerPropertiesAreEveryListenersDefaultsAndCustomizersRunLast() {
        runner.withUserConfiguration(Listeners.class)
                .withPropertyValues("mq.consumer.concurrency=5", "mq.consumer.max-reconsume-times=4",
                        "mq.consumer.batch-size=16", "mq.consumer.pull-batch-size=64",
                        "mq.consumer.max-cached-messages=500", "mq.consumer.max-cached-bytes=8MB",
                        "mq.consumer.commit-interval=2s", "mq.consumer.shutdown-timeout=7s",
                        "mq.consumer.orderly-retry-delay=250ms", "mq.consumer.offset-store-directory=/tmp/mq-offsets",
                        "mq.consumer.consume-from=2026-01-31T00:00:00Z")
                .withBean("hook", ConsumeHook.class, () -> new ConsumeHook() { })
                .withBean(ListenerCustomizer.class, () -> (id, builder) -> {
                    if (id.equals("ledger")) {
                        builder.orderlyRetryDelay(Duration.ofSeconds(9));
                    }
                })
                .run(context -> {
                    MQListenerRegistry registry = context.getBean(MQListenerRegistry.class);
                    ConsumerConfig ledger = registry.require("ledger").consumer().config();
                    assertThat(ledger.concurrency()).isEqualTo(5);
                    assertThat(ledger.maxReconsumeTimes()).isEqualTo(4);
                    assertThat(ledger.batchSize()).isEqualTo(16);
                    assertThat(ledger.pullBatchSize()).isEqualTo(64);
                    assertThat(ledger.maxCachedMessages()).isEqualTo(500);
                    assertThat(ledger.maxCachedBytes()).isEqualTo(8L * 1024 * 1024);
                    assertThat(ledger.commitInterval()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(ledger.shutdownTimeout()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(ledger.orderlyRetryDelay()).isEqualTo(Duration.ofSeconds(9));
                    assertThat(ledger.offsetStoreDirectory()).isEqualTo(Path.of("/tmp/mq-offsets"));
                    assertThat(ledger.consumeFrom()).isEqualTo(ConsumeFrom.timestamp(Instant.parse("2026-01-31T00:00:00Z")));
                    assertThat(ledger.hooks()).contains(context.getBean("hook", ConsumeHook.class));
                    ConsumerConfig billing = registry.require("billing").consumer().config();
                    assertThat(billing.concurrency()).as("the annotation beats the property").isEqualTo(3);
                    assertThat(billing.orderlyRetryDelay()).isEqualTo(Duration.ofMillis(250));
                });
    }

    @Test
    void virtualThreadsRunTheHandlersWhenEnabledOnJava21() {
        runner.withUserConfiguration(Listeners.class).withPropertyValues("spring.threads.virtual.enabled=true")
                .run(context -> {
                    // chosen by @ConditionalOnThreading: Boot's own test of the property and the runtime
                    assertThat(context.containsBean(MQListenerAutoConfiguration.VIRTUAL_THREADS_BEAN))
                            .isEqualTo(Runtime.version().feature() >= 21);
                    ThreadFactory factory = context.getBean(MQListenerRegistry.class).require("billing").consumer()
                            .config().threadFactory();
                    if (Runtime.version().feature() >= 21) {
                        Thread thread = factory.newThread(() -> { });
                        assertThat(thread.getName()).startsWith("mq-listener-billing-");
                        assertThat(Thread.class.getMethod("isVirtual").invoke(thread)).isEqualTo(true);
                    } else {
                        assertThat(factory).as("Java " + Runtime.version().feature() + " has no virtual threads")
                                .isNull();
                    }
                });
    }

    @Test
    void withMicrometerEveryListenerRecordsAndShowsItsLag() {
        runner.withUserConfiguration(Listeners.class).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    MicrometerConsumeHook hook = context.getBean(MicrometerConsumeHook.class);
                    MQListenerContainer billing = context.getBean(MQListenerRegistry.class).require("billing");
                    assertThat(billing.consumer().config().hooks()).contains(hook);
                    assertThat(meters.get(MicrometerConsumeHook.LAG).tags("group", "billing", "topic", "Orders")
                            .gauge().value()).isZero();
                    assertThat(meters.get(MicrometerConsumeHook.CACHED_MESSAGES).tags("group", "billing").gauge())
                            .isNotNull();
                });
    }

    // ---- parameters, conversion and results

    @Test
    void typedJsonPayloadsHeadersAndSpringMessages() {
        runner.withUserConfiguration(Listeners.class).run(context -> {
            MQListenerRegistry registry = context.getBean(MQListenerRegistry.class);
            Billing billing = context.getBean(Billing.class);
            assertThat(consume(registry.require("billing"), message("{\"id\":\"o-1\",\"amount\":5}", 0)))
                    .isEqualTo(ConsumeResult.SUCCESS);
            assertThat(consume(registry.require("ledger"), message("{\"id\":\"o-2\",\"amount\":6}", 0)))
                    .isEqualTo(ConsumeResult.SUCCESS);
            assertThat(consume(registry.require("spring"), message("{\"id\":\"o-3\",\"amount\":7}", 0)))
                    .isEqualTo(ConsumeResult.SUCCESS);
            assertThat(billing.received.get(0)).isEqualTo(new Order("o-1", 5));
            assertThat(billing.received.get(1)).isEqualTo(List.of(new Order("o-2", 6), "k1 k2", "acme", 7L, "created"));
            @SuppressWarnings("unchecked")
            Message<Order> spring = (Message<Order>) billing.received.get(2);
            assertThat(spring.getPayload()).isEqualTo(new Order("o-3", 7));
            assertThat(spring.getHeaders()).containsEntry("tenant", "acme").containsEntry(MQHeaders.TAGS, "created")
                    .containsEntry(MQHeaders.QUEUE_ID, 1).containsEntry(MQHeaders.RECONSUME_TIMES, 0);
        });
    }

    @Test
    void aPayloadThatCannotBeReadIsHandedBackOnceThenDeadLettered() {
        runner.withUserConfiguration(Listeners.class).run(context -> {
            MQListenerContainer billing = context.getBean(MQListenerRegistry.class).require("billing");
            assertThat(consume(billing, message("not json", 0))).isEqualTo(ConsumeResult.RETRY);
            assertThat(consume(billing, message("not json", 1))).isEqualTo(ConsumeResult.DEAD_LETTER);
            assertThat(context.getBean(Billing.class).received).isEmpty();
        });
    }

    @Test
    void resultsAndExceptionsBecomeTheEnginesOutcome() {
        runner.withUserConfiguration(Listeners.class).run(context -> {
            MQListenerRegistry registry = context.getBean(MQListenerRegistry.class);
            assertThat(consume(registry.require("audit"), message("bad", 0))).isEqualTo(ConsumeResult.DEAD_LETTER);
            assertThat(consume(registry.require("audit"), message("good", 0))).isEqualTo(ConsumeResult.SUCCESS);
            assertThat(consume(registry.require("billing"), message("{\"id\":\"x\",\"amount\":-1}", 0)))
                    .as("an exception without an error handler").isEqualTo(ConsumeResult.RETRY);
        });
    }

    @Test
    void theErrorHandlerDecidesPerException() {
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        runner.withUserConfiguration(Listeners.class)
                .withBean(MQListenerErrorHandler.class, () -> (id, message, error) -> {
                    seen.add(error);
                    return error instanceof IllegalArgumentException ? ConsumeResult.DEAD_LETTER : ConsumeResult.SUCCESS;
                })
                .run(context -> {
                    MQListenerContainer billing = context.getBean(MQListenerRegistry.class).require("billing");
                    assertThat(consume(billing, message("{\"id\":\"x\",\"amount\":-1}", 0)))
                            .isEqualTo(ConsumeResult.DEAD_LETTER);
                    assertThat(seen).hasSize(1);
                    assertThat(seen.get(0)).isInstanceOf(IllegalArgumentException.class).hasMessage("negative amount");
                });
    }

    // ---- replies

    static ReceivedMessage request(String body, long ttlMillis) {
        return ReceivedMessage.builder("Quotes", "id-" + body.hashCode(), new MessageQueue("Quotes", "broker-a", 0))
                .body(body.getBytes(StandardCharsets.UTF_8)).cluster("DefaultCluster")
                .bornTimestamp(System.currentTimeMillis())
                .requestReply("corr-" + body.hashCode(), "10.0.0.1@requester", ttlMillis, false).build();
    }

    private ApplicationContextRunner responders(RecordingProducer producer) {
        return runner.withBean(Responder.class).withBean(MQAutoConfiguration.PRODUCER_BEAN,
                dev.mq.core.producer.Producer.class, () -> producer)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new);
    }

    @Test
    void aReturnValueIsTheReplyToARequestAndIgnoredForOtherMessages() {
        RecordingProducer producer = new RecordingProducer();
        responders(producer).run(context -> {
            MQListenerRegistry registry = context.getBean(MQListenerRegistry.class);
            ReceivedMessage request = request("{\"id\":\"q-1\",\"amount\":5}", 10_000);
            assertThat(consume(registry.require("quotes"), request)).isEqualTo(ConsumeResult.SUCCESS);
            assertThat(producer.replies).hasSize(1);
            assertThat(producer.replies.get(0).getKey()).isSameAs(request);
            dev.mq.core.Message reply = producer.replies.get(0).getValue();
            assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"q-1\",\"amount\":10}");
            assertThat(reply.properties()).containsEntry("contentType", "application/json");

            // Not a request: the value is dropped, nothing is sent.
            assertThat(consume(registry.require("quotes"), message("{\"id\":\"q-2\",\"amount\":1}", 0)))
                    .isEqualTo(ConsumeResult.SUCCESS);
            assertThat(producer.replies).hasSize(1);

            // A CompletionStage's value is the reply too, sent once the stage completes.
            ConsumerListener async = listenerOf(registry.require("async-quotes"));
            assertThat(async.kind()).isEqualTo(ConsumerListener.Kind.ASYNC);
            assertThat(async.asyncListener().consume(request("hi", 10_000)).toCompletableFuture().join())
                    .isEqualTo(ConsumeResult.SUCCESS);
            assertThat(producer.replies).hasSize(2);
            assertThat(new String(producer.replies.get(1).getValue().body(), StandardCharsets.UTF_8))
                    .isEqualTo("async:hi");
        });
    }

    @Test
    void aFailedReplyIsSentAgainWithinTheRequestsTimeToLive() {
        RecordingProducer producer = new RecordingProducer();
        producer.failNextReplies.set(2);
        responders(producer).run(context -> {
            MQListenerContainer quotes = context.getBean(MQListenerRegistry.class).require("quotes");
            assertThat(consume(quotes, request("{\"id\":\"q-1\",\"amount\":5}", 10_000)))
                    .isEqualTo(ConsumeResult.SUCCESS);
            assertThat(producer.replies).hasSize(3); // two lost, the third taken
            assertThat(context.getBean(MeterRegistry.class).find("mq.listener.reply.failures").counter()).isNull();
        });
    }

    @Test
    void aReplyStillFailingWhenTheRequestsTimeToLiveEndsIsCountedAndLogged() {
        RecordingProducer producer = new RecordingProducer();
        producer.failNextReplies.set(Integer.MAX_VALUE);
        responders(producer).run(context -> {
            MQListenerContainer quotes = context.getBean(MQListenerRegistry.class).require("quotes");
            long start = System.nanoTime();
            assertThat(consume(quotes, request("{\"id\":\"q-1\",\"amount\":5}", 500)))
                    .isEqualTo(ConsumeResult.SUCCESS); // sending the request again would not bring the requester back
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(producer.replies.size()).isGreaterThan(1);
            assertThat(context.getBean(MeterRegistry.class).get("mq.listener.reply.failures")
                    .tags("topic", "Quotes", "group", "quotes").counter().count()).isEqualTo(1);
        });
    }

    @Test
    void withoutADefaultProducerRepliesGoThroughOneMadeForThem() {
        runner.withBean(Responder.class).withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            dev.mq.core.client.MQClientInstance client = context.getBean(dev.mq.core.client.MQClientInstance.class);
            assertThat(client.producers()).isEmpty(); // made at the first reply, not before
            MQListenerContainer quotes = context.getBean(MQListenerRegistry.class).require("quotes");
            // No NameServer listens here: the reply fails, is sent again within its 300 ms TTL, then given up.
            assertThat(consume(quotes, request("{\"id\":\"q-1\",\"amount\":5}", 300)))
                    .isEqualTo(ConsumeResult.SUCCESS);
            assertThat(client.producers()).extracting(dev.mq.core.producer.Producer::group)
                    .containsExactly(MQListenerAutoConfiguration.REPLY_PRODUCER_GROUP);
            assertThat(context.getBean(MeterRegistry.class).get("mq.listener.reply.failures")
                    .tags("group", "quotes").counter().count()).isEqualTo(1);
        });
    }

    @Test
    void aCompletionStageIsHandledWithoutHoldingAThread() {
        runner.withBean(Async.class).withBean(MQListenerErrorHandler.class,
                () -> (id, message, error) -> error instanceof IllegalStateException ? ConsumeResult.DEAD_LETTER
                        : ConsumeResult.RETRY)
                .run(context -> {
                    MQListenerContainer container = context.getBean(MQListenerRegistry.class).require("async");
                    ConsumerListener listener = listenerOf(container);
                    assertThat(listener.kind()).isEqualTo(ConsumerListener.Kind.ASYNC);
                    Async async = context.getBean(Async.class);
                    CompletionStage<ConsumeResult> first = listener.asyncListener()
                            .consume(message("{\"id\":\"a\",\"amount\":1}", 0));
                    CompletionStage<ConsumeResult> second = listener.asyncListener()
                            .consume(message("{\"id\":\"b\",\"amount\":1}", 0));
                    assertThat(first.toCompletableFuture()).as("returned before the work finished").isNotDone();
                    async.pending.get(0).complete(ConsumeResult.SUCCESS);
                    async.pending.get(1).completeExceptionally(new IllegalStateException("downstream said no"));
                    assertThat(first.toCompletableFuture().join()).isEqualTo(ConsumeResult.SUCCESS);
                    assertThat(second.toCompletableFuture().join()).isEqualTo(ConsumeResult.DEAD_LETTER);
                });
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBatchFailureRedeliversOnlyWhatFailed() {
        runner.withUserConfiguration(Listeners.class).run(context -> {
            MQListenerRegistry registry = context.getBean(MQListenerRegistry.class);
            List<ReceivedMessage> batch = new ArrayList<>();
            batch.add(message("{\"id\":\"c0\",\"amount\":1}", 0));
            batch.add(message("garbage", 0));
            batch.add(message("{\"id\":\"c2\",\"amount\":1}", 0));
            batch.add(message("{\"id\":\"c3\",\"amount\":-1}", 0));
            batch.add(message("{\"id\":\"c4\",\"amount\":1}", 0));
            BatchResult result = listenerOf(registry.require("stats")).batchListener().consume(batch);
            assertThat((List<Object>) context.getBean(Stats.class).batches.get(0)).as("the unreadable element is left out")
                    .containsExactly(new Order("c0", 1), new Order("c2", 1), new Order("c3", -1), new Order("c4", 1));
            assertThat(List.of(result.resultOf(0), result.resultOf(1), result.resultOf(2), result.resultOf(3),
                    result.resultOf(4))).containsExactly(ConsumeResult.SUCCESS, ConsumeResult.RETRY,
                    ConsumeResult.SUCCESS, ConsumeResult.RETRY, ConsumeResult.RETRY);

            BatchResult set = listenerOf(registry.require("stats-set")).batchListener()
                    .consume(List.of(message("a", 0), message("b", 0), message("c", 0)));
            assertThat(List.of(set.resultOf(0), set.resultOf(1), set.resultOf(2)))
                    .containsExactly(ConsumeResult.RETRY, ConsumeResult.SUCCESS, ConsumeResult.RETRY);
        });
    }

    @Test
    void proxiedBeansAreCalledThroughTheirProxy() {
        List<String> calls = new CopyOnWriteArrayList<>();
        runner.withBean("billing", Billing.class, () -> {
            ProxyFactory factory = new ProxyFactory(new Billing());
            factory.setProxyTargetClass(true);
            factory.addAdvice((org.aopalliance.intercept.MethodInterceptor) invocation -> {
                calls.add(invocation.getMethod().getName());
                return invocation.proceed();
            });
            return (Billing) factory.getProxy();
        }).run(context -> {
            MQListenerContainer billing = context.getBean(MQListenerRegistry.class).require("billing");
            assertThat(consume(billing, message("{\"id\":\"p\",\"amount\":1}", 0))).isEqualTo(ConsumeResult.SUCCESS);
            assertThat(calls).containsExactly("onOrder");
        });
    }

    @Test
    void anObservationPerMessageContinuesTheProducersTraceContext() {
        List<String> parents = new CopyOnWriteArrayList<>();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new ObservationHandler<ReceiverContext<ReceivedMessage>>() {
            @Override
            public void onStart(ReceiverContext<ReceivedMessage> context) {
                parents.add(context.getGetter().get(context.getCarrier(), "traceparent"));
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof ReceiverContext<?>;
            }
        });
        runner.withUserConfiguration(Listeners.class).withBean(ObservationRegistry.class, () -> observations)
                .withPropertyValues("mq.consumer.observation-enabled=true").run(context -> {
                    MQListenerContainer billing = context.getBean(MQListenerRegistry.class).require("billing");
                    consume(billing, message("{\"id\":\"t\",\"amount\":1}", 0));
                    assertThat(parents).containsExactly("00-abc-def-01");
                });
        parents.clear();
        runner.withUserConfiguration(Listeners.class).withBean(ObservationRegistry.class, () -> observations)
                .run(context -> {
                    consume(context.getBean(MQListenerRegistry.class).require("billing"),
                            message("{\"id\":\"t\",\"amount\":1}", 0));
                    assertThat(parents).as("off by default").isEmpty();
                });
    }

    // ---- start-up errors

    static class UnknownParameter {
        @MQListener(topic = "Orders", group = "g")
        void on(Order order, MQListenerRegistry registry) {
        }
    }

    static class TwoPayloads {
        @MQListener(topic = "Orders", group = "g")
        void on(Order order, String other) {
        }
    }

    static class BadBatch {
        @MQListener(topic = "Orders", group = "g", batch = true)
        void on(Order order) {
        }
    }

    static class Unresolved {
        @MQListener(topic = "${no.such.topic}", group = "g")
        void on(Order order) {
        }
    }

    static class BadConcurrency {
        @MQListener(topic = "Orders", group = "g", concurrency = "0")
        void on(Order order) {
        }
    }

    static class SameGroup {
        @MQListener(topic = "Orders", group = "billing")
        void first(Order order) {
        }

        @MQListener(topic = "Payments", group = "billing")
        void second(Order order) {
        }
    }

    static class NamedHandler {
        @MQListener(topic = "Orders", group = "g", errorHandler = "missing")
        void on(Order order) {
        }
    }

    @Test
    void signaturesAListenerCannotServeFailStartUpNamingTheMethod() {
        assertStartUpFails(UnknownParameter.class, "UnknownParameter.on(Order, MQListenerRegistry)",
                "parameter 1 of type MQListenerRegistry cannot be resolved");
        assertStartUpFails(TwoPayloads.class, "TwoPayloads.on(Order, String)", "are both payloads");
        assertStartUpFails(BadBatch.class, "BadBatch.on(Order)", "exactly one List parameter");
        assertStartUpFails(Unresolved.class, "Unresolved.on(Order)", "topic '${no.such.topic}' is invalid");
        assertStartUpFails(BadConcurrency.class, "BadConcurrency.on(Order)",
                "concurrency '0' is invalid: concurrency must be 1..1024, got 0");
        assertStartUpFails(SameGroup.class, "SameGroup.", "group 'billing' is taken by SameGroup.");
        assertStartUpFails(NamedHandler.class, "NamedHandler.on(Order)", "no MQListenerErrorHandler bean named 'missing'");
    }

    private void assertStartUpFails(Class<?> listener, String method, String problem) {
        runner.withBean(listener).run(context -> assertThat(context).getFailure()
                .extracting(NestedExceptionUtils::getMostSpecificCause).asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining("@MQListener " + method).hasMessageContaining(problem));
    }

    @Test
    void aBadDefaultFailsStartUpNamingTheProperty() {
        runner.withUserConfiguration(Listeners.class).withPropertyValues("mq.consumer.concurrency=0")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("mq.consumer.concurrency"));
        runner.withUserConfiguration(Listeners.class).withPropertyValues("mq.consumer.consume-from=yesterday")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("mq.consumer.consume-from"));
        runner.withUserConfiguration(Listeners.class).withPropertyValues("mq.consumer.observation-enabled=true")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("mq.consumer.observation-enabled"));
    }

    @Test
    void withoutListenersNothingChanges() {
        runner.run(context -> assertThat(context.getBean(MQListenerRegistry.class).containers()).isEmpty());
    }
}
