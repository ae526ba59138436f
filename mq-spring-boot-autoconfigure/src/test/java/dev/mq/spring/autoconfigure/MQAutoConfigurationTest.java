package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.ConfigException;
import dev.mq.core.MQException;
import dev.mq.core.client.ClientState;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.send.DefaultProducer;
import dev.mq.core.metrics.MicrometerSendHook;
import dev.mq.core.producer.AutoBatching;
import dev.mq.core.producer.BackpressurePolicy;
import dev.mq.core.producer.CompressionType;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.support.MessageBuilder;

class MQAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MQAutoConfiguration.class, MQMetricsAutoConfiguration.class,
                    MQObservationAutoConfiguration.class, MQHealthContributorAutoConfiguration.class));

    private static ProducerConfig configOf(Producer producer) {
        return ((DefaultProducer) producer).config();
    }

    @Test
    void withoutNameServerStartUpFailsNamingTheProperty() {
        runner.run(context -> assertThat(context).getFailure().rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("mq.name-server"));
    }

    @Test
    void nameServerAloneGivesAClientButNoProducer() {
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876").run(context -> {
            assertThat(context).hasSingleBean(MQClientInstance.class).hasSingleBean(MQClientLifecycle.class)
                    .hasSingleBean(MQPayloadConverter.class).doesNotHaveBean(Producer.class)
                    .doesNotHaveBean(MQTemplate.class);
            assertThat(context.getBean(MQClientInstance.class).state()).isEqualTo(ClientState.RUNNING);
            assertThat(context.getBean(MQClientInstance.class).nameServers()).containsExactly("127.0.0.1:9876");
        });
    }

    @Test
    void groupGivesTheDefaultProducerAndTemplateWithDefaults() {
        runner.withPropertyValues("mq.name-server=ns1:9876;ns2:9876", "mq.producer.group=orders").run(context -> {
            assertThat(context).hasSingleBean(Producer.class).hasSingleBean(MQTemplate.class);
            assertThat(context.getBean(MQClientInstance.class).nameServers()).containsExactly("ns1:9876", "ns2:9876");
            ProducerConfig config = configOf(context.getBean(Producer.class));
            assertThat(config.group()).isEqualTo("orders");
            assertThat(config.sendTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(config.retries()).isEqualTo(2);
            assertThat(config.compressThreshold()).isEqualTo(4096);
            assertThat(config.compression()).isEqualTo(CompressionType.ZLIB);
            assertThat(config.maxMessageSize()).isEqualTo(4 * 1024 * 1024);
            assertThat(config.backpressure()).isEqualTo(BackpressurePolicy.BLOCK);
            assertThat(context.getBean(MQTemplate.class).getProducer()).isSameAs(context.getBean(Producer.class));
        });
    }

    @Test
    void bindsEveryProducerProperty() {
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders",
                "mq.producer.send-timeout=1500ms", "mq.producer.retries=5", "mq.producer.compress-threshold=8KB",
                "mq.producer.compression=zstd", "mq.producer.compress-level=12", "mq.producer.max-message-size=1MB", "mq.producer.max-in-flight-requests=10",
                "mq.producer.max-in-flight-bytes=2MB", "mq.producer.on-backpressure=fail",
                "mq.producer.shutdown-timeout=2s", "mq.producer.latency-fault-tolerance=false",
                "mq.client.instance-name=app-1", "mq.client.namespace=staging").run(context -> {
                    ProducerConfig config = configOf(context.getBean(Producer.class));
                    assertThat(config.sendTimeout()).isEqualTo(Duration.ofMillis(1500));
                    assertThat(config.retries()).isEqualTo(5);
                    assertThat(config.compressThreshold()).isEqualTo(8192);
                    assertThat(config.compression()).isEqualTo(CompressionType.ZSTD);
                    assertThat(config.compressLevel()).isEqualTo(12);
                    assertThat(config.maxMessageSize()).isEqualTo(1024 * 1024);
                    assertThat(config.maxInFlightRequests()).isEqualTo(10);
                    assertThat(config.maxInFlightBytes()).isEqualTo(2L * 1024 * 1024);
                    assertThat(config.backpressure()).isEqualTo(BackpressurePolicy.FAIL);
                    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(config.latencyFaultTolerance()).isFalse();
                    assertThat(context.getBean(MQClientInstance.class).clientId()).endsWith("@app-1@staging");
                    assertThat(((DefaultProducer) context.getBean(Producer.class)).wireGroup()).isEqualTo("staging%orders");
                });
    }

    @Test
    void badValuesFailStartUpNamingTheProperty() {
        String[][] cases = {
            {"mq.producer.retries=-1", "mq.producer.retries"},
            {"mq.producer.send-timeout=0s", "mq.producer.send-timeout"},
            {"mq.producer.max-in-flight-requests=0", "mq.producer.max-in-flight-requests"},
            {"mq.producer.max-in-flight-bytes=1KB", "mq.producer.max-in-flight-bytes"},
            {"mq.producer.compress-threshold=0B", "mq.producer.compress-threshold"},
            {"mq.producer.group=bad group", "mq.producer.group"},
            {"mq.client.io-threads=0", "mq.client.io-threads"},
            {"mq.client.connect-timeout=-1s", "mq.client.connect-timeout"},
            {"mq.client.write-stall-timeout=0s", "mq.client.write-stall-timeout"},
            {"mq.client.topic-idle-timeout=0s", "mq.client.topic-idle-timeout"},
            {"mq.client.unregister-timeout=-1s", "mq.client.unregister-timeout"},
            {"mq.client.access-key=ak", "mq.client.secret-key"},
            {"mq.producer.observation-enabled=true", "mq.producer.observation-enabled"},
            {"mq.producer.auto-batch.enabled=true,mq.producer.auto-batch.linger=-1ms", "mq.producer.auto-batch.linger"},
            {"mq.producer.auto-batch.enabled=true,mq.producer.auto-batch.max-size=0B", "mq.producer.auto-batch.max-size"},
            {"mq.producer.auto-batch.enabled=true,mq.producer.auto-batch.max-size=8MB",
                "mq.producer.auto-batch.max-size"},
            {"mq.producer.auto-batch.enabled=true,mq.producer.auto-batch.max-messages=1",
                "mq.producer.auto-batch.max-messages"},
        };
        for (String[] c : cases) {
            runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders")
                    .withPropertyValues(c[0].split(","))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .as(c[0]).isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining(c[1]));
        }
        runner.withPropertyValues("mq.name-server=not-an-address").run(context -> assertThat(context).getFailure()
                .rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("mq.name-server").hasMessageContaining("not-an-address"));
    }

    /**
     * Each check the engine makes of a producer setting, reached through its property: the error
     * names the property under the producer's own prefix (the default producer's, and a named
     * producer's), carries the value and the engine's reason, with no check repeated in the starter.
     */
    @Test
    void anEngineCheckNamesThePropertyOfTheProducerItFailedFor() {
        String[][] cases = { // property below the prefix, value, what the engine says
            {"retries", "-1", "retries must not be negative, got -1"},
            {"send-timeout", "0s", "send timeout must be positive, got PT0S"},
            {"send-timeout", "40000d", "send timeout must be at most 36500 days"},
            {"shutdown-timeout", "-1s", "shutdown timeout must not be negative"},
            {"compress-threshold", "0B", "compress threshold must be positive, got 0"},
            {"compress-level", "10", "compress level must be 1..9, got 10 (ZLIB)"},
            {"max-message-size", "0B", "max message size must be positive, got 0"},
            {"max-in-flight-requests", "0", "max in-flight requests must be positive, got 0"},
            {"max-in-flight-bytes", "1KB", "max in-flight bytes (1024) must be at least the max message size"},
            {"max-in-flight-bytes", "3GB", "max in-flight bytes must be at most 2147483647"},
            {"group", "bad group", "contains illegal characters"},
            {"auto-batch.linger", "-1ms", "auto-batching linger must not be negative"},
            {"auto-batch.max-size", "0B", "auto-batching max bytes must be positive, got 0"},
            {"auto-batch.max-size", "8MB", "must not exceed the max message size (4194304)"},
            {"auto-batch.max-messages", "1", "auto-batching max messages must be at least 2, got 1"},
        };
        for (String prefix : new String[] {"mq.producer", "mq.producers.audit"}) {
            for (String[] c : cases) {
                String property = prefix + "." + c[0];
                runner.withPropertyValues("mq.name-server=127.0.0.1:9876", prefix + ".group=orders",
                                prefix + ".auto-batch.enabled=true", property + "=" + c[1])
                        .run(context -> assertThat(context).getFailure().rootCause().as(property)
                                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                                    assertThat(e.getName()).isEqualTo(property);
                                    assertThat(e.getMessage()).contains(c[2]);
                                }));
            }
        }
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producers.audit.group=audit",
                        "mq.producers.audit.retries=-1")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
                                e -> assertThat(e.getValue()).isEqualTo(-1)));
        // The one check left in the starter: a size the engine takes as an int must fit one.
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders",
                        "mq.producer.compress-threshold=3GB")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                            assertThat(e.getName()).isEqualTo("mq.producer.compress-threshold");
                            assertThat(e.getMessage()).contains("between 1B and 2147483647B");
                        }));
    }

    @Test
    void anEngineCheckNamesTheClientProperty() {
        String[][] cases = {
            {"mq.client.io-threads", "0", "io threads must be at least 1, got 0"},
            {"mq.client.connect-timeout", "-1s", "connect timeout must be positive"},
            {"mq.client.write-stall-timeout", "0s", "write stall timeout must be positive"},
            {"mq.client.topic-idle-timeout", "0s", "topic idle timeout must be positive"},
            {"mq.client.unregister-timeout", "-1s", "unregister timeout must be positive"},
            {"mq.client.namespace", "ns 1", "namespace 'ns 1' is invalid"},
            {"mq.client.access-key", "ak", "ACL secret key is null"},
            {"mq.client.secret-key", "sk", "ACL access key is null"},
            {"mq.name-server", "not-an-address", "invalid name server address 'not-an-address'"},
        };
        for (String[] c : cases) {
            runner.withPropertyValues("mq.name-server=127.0.0.1:9876", c[0] + "=" + c[1])
                    .run(context -> assertThat(context).getFailure().rootCause().as(c[0])
                            .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                                // a missing ACL key is named, not the one given
                                String named = c[0].equals("mq.client.access-key") ? "mq.client.secret-key"
                                        : c[0].equals("mq.client.secret-key") ? "mq.client.access-key" : c[0];
                                assertThat(e.getName()).isEqualTo(named);
                                assertThat(e.getMessage()).contains(c[2]);
                            }));
        }
    }

    @Test
    void aCustomizersMistakeIsReportedByTheEngineNamingTheSetting() {
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders")
                .withBean(ProducerCustomizer.class, () -> (name, builder) -> builder.retries(-3))
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOfSatisfying(ConfigException.class, e -> {
                            assertThat(e.setting()).isEqualTo("retries");
                            assertThat(e.value()).isEqualTo(-3);
                        }));
    }

    @Test
    void unsetPropertiesLeaveTheEnginesDefaults() {
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders",
                "mq.producer.auto-batch.enabled=true").run(context -> {
                    ProducerConfig config = configOf(context.getBean(Producer.class));
                    ProducerConfig engine = ProducerConfig.builder().group("orders").build();
                    assertThat(config.sendTimeout()).isEqualTo(engine.sendTimeout());
                    assertThat(config.retries()).isEqualTo(engine.retries());
                    assertThat(config.compressThreshold()).isEqualTo(engine.compressThreshold());
                    assertThat(config.compressLevel()).isEqualTo(engine.compressLevel());
                    assertThat(config.maxMessageSize()).isEqualTo(engine.maxMessageSize());
                    assertThat(config.maxInFlightRequests()).isEqualTo(engine.maxInFlightRequests());
                    assertThat(config.maxInFlightBytes()).isEqualTo(engine.maxInFlightBytes());
                    assertThat(config.backpressure()).isEqualTo(engine.backpressure());
                    assertThat(config.latencyFaultTolerance()).isEqualTo(engine.latencyFaultTolerance());
                    assertThat(config.shutdownTimeout()).isEqualTo(engine.shutdownTimeout());
                    assertThat(config.autoBatching()).isEqualTo(AutoBatching.whenBusy());
                });
    }

    @Test
    void autoBatchingIsOffByDefaultAndBindsFromItsProperties() {
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders").run(context ->
                assertThat(configOf(context.getBean(Producer.class)).autoBatching()).isEqualTo(AutoBatching.off()));
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders",
                "mq.producer.auto-batch.enabled=true").run(context ->
                assertThat(configOf(context.getBean(Producer.class)).autoBatching()).isEqualTo(AutoBatching.whenBusy()));
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders",
                "mq.producer.auto-batch.enabled=true", "mq.producer.auto-batch.linger=5ms",
                "mq.producer.auto-batch.max-size=64KB", "mq.producer.auto-batch.max-messages=100").run(context ->
                assertThat(configOf(context.getBean(Producer.class)).autoBatching()).isEqualTo(
                        AutoBatching.linger(Duration.ofMillis(5)).maxBytes(64 * 1024).maxMessages(100)));
    }

    @Test
    void customizersRunInOrderAfterTheProperties() {
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders", "mq.producer.retries=1")
                .withUserConfiguration(Customizers.class).run(context -> {
                    ProducerConfig config = configOf(context.getBean(Producer.class));
                    assertThat(config.retries()).isEqualTo(4); // (1 + 1) * 2: first, then second
                });
    }

    @Test
    void backsOffFromTheApplicationsOwnBeans() {
        MQClientInstance own = MQClientInstance.builder().nameServer("10.0.0.1:9876").instanceName("own").build();
        MQPayloadConverter converter = payload -> new MQPayloadConverter.Body(new byte[] {1}, null);
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876")
                .withBean(MQClientInstance.class, () -> own)
                .withBean(MQPayloadConverter.class, () -> converter)
                .run(context -> {
                    assertThat(context.getBean(MQClientInstance.class)).isSameAs(own);
                    assertThat(context.getBean(MQPayloadConverter.class)).isSameAs(converter);
                });
        runner.withBean(MQConnectionDetails.class, () -> () -> "192.0.2.1:9876").run(context ->
                assertThat(context.getBean(MQClientInstance.class).nameServers()).containsExactly("192.0.2.1:9876"));
    }

    @Test
    void headerMapperIsTheDefaultUnlessTheApplicationDefinesOne() {
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876").run(context ->
                assertThat(context).getBean(MQHeaderMapper.class).isExactlyInstanceOf(DefaultMQHeaderMapper.class));
        List<String> mapped = new CopyOnWriteArrayList<>();
        MQHeaderMapper own = (headers, message, topic, tags) -> {
            mapped.add(topic);
            message.property("mapped-by", "application");
            if (topic.equals("Stop")) {
                throw MQException.validation("stopped by the application's mapper");
            }
        };
        RecordingProducer producer = new RecordingProducer();
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders",
                        "mq.producers.audit.group=audit")
                .withBean(MQHeaderMapper.class, () -> own)
                .withBean(MQAutoConfiguration.PRODUCER_BEAN, Producer.class, () -> producer)
                .run(context -> {
                    assertThat(context).getBean(MQHeaderMapper.class).isSameAs(own);
                    context.getBean(MQTemplate.class).syncSend("Orders",
                            MessageBuilder.withPayload("p").setHeader("tenant", "acme").build());
                    assertThat(producer.sent).singleElement().satisfies(m -> assertThat(m.properties())
                            .containsEntry("mapped-by", "application").doesNotContainKey("tenant"));
                    // the named template maps with it too; the mapper stops the send before any I/O
                    MQTemplate audit = context.getBean("auditMQTemplate", MQTemplate.class);
                    assertThatThrownBy(() -> audit.syncSend("Stop", MessageBuilder.withPayload("p").build()))
                            .hasMessageContaining("stopped by the application's mapper");
                    assertThat(mapped).containsExactly("Orders", "Stop");
                });
    }

    @Test
    void namedProducersGetTheirOwnGroupProducerAndTemplate() {
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders",
                "mq.producers.audit.group=audit", "mq.producers.audit.retries=0",
                "mq.producers.billing.group=billing").run(context -> {
                    assertThat(context).hasBean("auditProducer").hasBean("auditMQTemplate")
                            .hasBean("billingProducer").hasBean("billingMQTemplate");
                    assertThat(context.getBean("auditProducer", Producer.class).group()).isEqualTo("audit");
                    assertThat(configOf(context.getBean("auditProducer", Producer.class)).retries()).isZero();
                    assertThat(context.getBean("billingMQTemplate", MQTemplate.class).getProducer().group())
                            .isEqualTo("billing");
                    assertThat(context.getBean(MQTemplate.class).getProducer().group()).isEqualTo("orders");
                    assertThat(context.getBean(MQClientInstance.class).producers()).hasSize(3);
                });
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producers.audit.retries=1")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("mq.producers.audit.group"));
    }

    @Test
    void metricsHookIsAddedWhenAMeterRegistryExistsAndCanBeSwitchedOff() {
        ApplicationContextRunner withRegistry = runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("mq.name-server=127.0.0.1:9876", "mq.producer.group=orders");
        withRegistry.run(context -> {
            assertThat(context).hasSingleBean(MicrometerSendHook.class);
            assertThat(configOf(context.getBean(Producer.class)).hooks())
                    .containsExactly(context.getBean(MicrometerSendHook.class));
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean("mqProducerMetrics", io.micrometer.core.instrument.binder.MeterBinder.class)
                    .bindTo(registry);
            assertThat(registry.find(MicrometerSendHook.IN_FLIGHT).tag("group", "orders").gauge()).isNotNull();
            assertThat(registry.find(MicrometerSendHook.AUTO_BATCHES).tag("group", "orders").functionCounter())
                    .isNotNull();
        });
        withRegistry.withPropertyValues("mq.metrics.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(MicrometerSendHook.class);
            assertThat(configOf(context.getBean(Producer.class)).hooks()).isEmpty();
        });
        runner.withPropertyValues("mq.name-server=127.0.0.1:9876")
                .run(context -> assertThat(context).doesNotHaveBean(MicrometerSendHook.class));
    }

    @Test
    void healthIndicatorIsOnByDefaultAndSwitchable() {
        ApplicationContextRunner base = runner.withPropertyValues("mq.name-server=127.0.0.1:9876");
        base.run(context -> assertThat(context).hasSingleBean(MQHealthIndicator.class).hasBean("mqHealthIndicator"));
        base.withPropertyValues("management.health.mq.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(MQHealthIndicator.class));
        base.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MQHealthIndicator.class));
    }

    @Test
    void secretKeyNeverShowsInToString() {
        MQProperties.Client client = new MQProperties.Client();
        client.setAccessKey("ak");
        client.setSecretKey("top-secret");
        assertThat(client.toString()).contains("ak").doesNotContain("top-secret");
    }

    static class Customizers {

        @org.springframework.context.annotation.Bean
        @Order(1)
        ProducerCustomizer first() {
            return (name, builder) -> builder.retries(2);
        }

        @org.springframework.context.annotation.Bean
        @Order(2)
        ProducerCustomizer second() {
            return (name, builder) -> builder.retries(4);
        }
    }
}
