package dev.mq.spring.autoconfigure;

import dev.mq.core.ConfigException;
import dev.mq.core.client.ClientResources;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.SendHook;
import java.util.List;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Primary;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of the mq client: the {@link ClientResources} it runs on, the
 * {@link MQClientInstance} (started and stopped with the context by {@link MQClientLifecycle}), the default {@link Producer} and {@link MQTemplate} when
 * {@code mq.producer.group} is set, named producers from {@code mq.producers.*}, the payload
 * converter and the header mapper. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration"})
@EnableConfigurationProperties(MQProperties.class)
@Import(NamedProducersRegistrar.class)
@ImportRuntimeHints(MQRuntimeHints.class)
public final class MQAutoConfiguration {

    /** Bean name of the auto-configured {@link ClientResources}. */
    public static final String CLIENT_RESOURCES_BEAN = "mqClientResources";

    /** Bean name of the default producer. */
    public static final String PRODUCER_BEAN = "mqProducer";

    private static final String PREFIX = "mq.producer";
    /** Bean name of the default template. */
    public static final String TEMPLATE_BEAN = "mqTemplate";
    /**
     * Bean name of the application's {@code TransactionChecker} for the default producer; a named
     * producer's is {@code <name>TransactionChecker}. It replaces the transaction log's checker.
     */
    public static final String TRANSACTION_CHECKER_BEAN = "mqTransactionChecker";

    @Bean
    @ConditionalOnMissingBean(MQConnectionDetails.class)
    PropertiesMQConnectionDetails mqConnectionDetails(MQProperties properties,
                                                      ObjectProvider<SslBundles> sslBundles) {
        return new PropertiesMQConnectionDetails(properties, sslBundles.getIfAvailable());
    }

    /**
     * The threads and clock the client runs on, from {@code mq.client.io-threads}. The context owns
     * this bean: it closes it at shutdown, after the client that depends on it. An application's own
     * {@link ClientResources} bean replaces it (the mq.client.io-threads property then has no effect);
     * the client only borrows it, so whoever defined it decides when it closes (see docs/configuration.md).
     */
    @Bean(name = CLIENT_RESOURCES_BEAN)
    @ConditionalOnMissingBean
    @ConditionalOnThreading(Threading.PLATFORM)
    ClientResources mqClientResources(MQProperties properties) {
        return clientResources(properties, null);
    }

    /**
     * As {@link #mqClientResources}, with {@code spring.threads.virtual.enabled} on Java 21+:
     * completions and hooks run on virtual threads ({@code mq-callback-<n>}).
     */
    @Bean(name = CLIENT_RESOURCES_BEAN)
    @ConditionalOnMissingBean
    @ConditionalOnThreading(Threading.VIRTUAL)
    ClientResources mqClientResourcesVirtualThreads(MQProperties properties) {
        SimpleAsyncTaskExecutor virtual = new SimpleAsyncTaskExecutor("mq-callback-");
        virtual.setVirtualThreads(true);
        return clientResources(properties, virtual);
    }

    private static ClientResources clientResources(MQProperties properties, @Nullable Executor callbacks) {
        MQProperties.Client client = properties.getClient();
        ClientResources.Builder builder = ClientResources.builder();
        if (client.getInstanceName() != null && !client.getInstanceName().isBlank()) {
            builder.name(client.getInstanceName()); // thread names as a client with resources of its own has them
        }
        if (callbacks != null) {
            builder.callbackExecutor(callbacks);
        }
        try {
            PropertyMapper.get().from(client::getIoThreads).to(builder::ioThreads);
        } catch (ConfigException e) {
            throw SettingProperties.client(e);
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    MQClientInstance mqClientInstance(MQProperties properties, MQConnectionDetails connection,
                                      ClientResources resources, ObjectProvider<SslBundles> sslBundles) {
        MQProperties.Client client = properties.getClient();
        MQClientInstance.Builder builder = MQClientInstance.builder().resources(resources);
        try {
            builder.nameServer(connection.getNameServer());
            // Unset properties leave the client's own defaults in force: one place for each default.
            PropertyMapper map = PropertyMapper.get();
            map.from(client::getInstanceName).to(builder::instanceName);
            map.from(client::getNamespace).to(builder::namespace);
            map.from(client::getConnectTimeout).to(builder::connectTimeout);
            map.from(client::getTopicIdleTimeout).to(builder::topicIdleTimeout);
            map.from(client::getUnregisterTimeout).to(builder::unregisterTimeout);
            map.from(client::getWriteStallTimeout).to(builder::writeStallTimeout);
            String accessKey = connection.getAccessKey();
            String secretKey = connection.getSecretKey();
            if (accessKey != null || secretKey != null) {
                builder.credentials(accessKey, secretKey);
            }
            MQSslContexts ssl = MQSslContexts.of(connection.getSslBundle(), client.getTls());
            if (ssl != null) {
                builder.sslContextSupplier(ssl);
                reloadWithBundle(connection, sslBundles.getIfAvailable(), ssl);
            }
            return builder.build();
        } catch (ConfigException e) {
            throw SettingProperties.client(e);
        }
    }

    /**
     * A bundle named by {@code mq.client.ssl.bundle} is reloaded by Boot when its files change (with
     * {@code reload-on-update}); the client then opens its new connections with the new material. A
     * bundle an application's own connection details hand over has no name to follow.
     */
    private static void reloadWithBundle(MQConnectionDetails connection, @Nullable SslBundles bundles,
                                         MQSslContexts ssl) {
        if (bundles != null && connection instanceof PropertiesMQConnectionDetails properties) {
            String name = properties.sslBundleName();
            if (name != null) {
                bundles.addBundleUpdateHandler(name, ssl::reload);
            }
        }
    }

    @Bean
    @ConditionalOnMissingBean
    MQClientLifecycle mqClientLifecycle(MQClientInstance client) {
        return new MQClientLifecycle(client);
    }

    @Bean
    @ConditionalOnMissingBean
    MQPayloadConverter mqPayloadConverter(ObjectProvider<JsonMapper> jsonMapper) {
        return new JacksonPayloadConverter(jsonMapper.getIfAvailable(JsonMapper::shared));
    }

    @Bean
    @ConditionalOnMissingBean
    MQHeaderMapper mqHeaderMapper() {
        return new DefaultMQHeaderMapper();
    }

    @Bean(name = PRODUCER_BEAN)
    @Primary
    @ConditionalOnMissingBean(name = PRODUCER_BEAN)
    @ConditionalOnProperty("mq.producer.group")
    Producer mqProducer(MQClientInstance client, MQProperties properties, ObjectProvider<SendHook> hooks,
                        ObjectProvider<ProducerCustomizer> customizers, ListableBeanFactory beans) {
        TransactionLog log = TransactionCheckers.log(PREFIX, properties.getProducer(), beans);
        return client.newProducer(ProducerConfigFactory.create(ProducerConfigFactory.DEFAULT_NAME, PREFIX,
                properties.getProducer(), List.copyOf(hooks.orderedStream().toList()),
                TransactionCheckers.checker(TRANSACTION_CHECKER_BEAN, log, beans),
                customizers.orderedStream().toList()));
    }

    @Bean(name = TEMPLATE_BEAN)
    @Primary
    @ConditionalOnMissingBean(name = TEMPLATE_BEAN)
    @ConditionalOnProperty("mq.producer.group")
    MQTemplate mqTemplate(@Qualifier(PRODUCER_BEAN) Producer producer,
                          MQPayloadConverter converter, MQHeaderMapper headerMapper, MQProperties properties,
                          ObjectProvider<SendObserverFactory> observers, ListableBeanFactory beans,
                          ObjectProvider<RequestReplyMetrics> requestMetrics) {
        MQTemplate template = new MQTemplate(producer, converter, headerMapper,
                SendObserverFactory.observer(observers, properties.getProducer(), producer.group()),
                TransactionCheckers.log(PREFIX, properties.getProducer(), beans));
        requestMetrics.ifAvailable(template::requestMetrics);
        return template;
    }
}
