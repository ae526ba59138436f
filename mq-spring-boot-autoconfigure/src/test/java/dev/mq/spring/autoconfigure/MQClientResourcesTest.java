package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.client.ClientResources;
import dev.mq.core.client.ClientState;
import dev.mq.core.client.MQClientInstance;
import io.netty.util.concurrent.MultithreadEventExecutorGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@link ClientResources} the auto-configured client runs on: the context's own, or the application's. */
class MQClientResourcesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MQAutoConfiguration.class))
            .withPropertyValues("mq.name-server=127.0.0.1:9876");

    private static boolean threadRuns(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(prefix));
    }

    @Test
    void theDefaultResourcesTakeTheClientPropertiesAndCloseAfterTheClient() {
        AtomicReference<ClientResources> resources = new AtomicReference<>();
        AtomicReference<MQClientInstance> client = new AtomicReference<>();
        runner.withPropertyValues("mq.client.io-threads=3", "mq.client.instance-name=default-resources-test")
                .run(context -> {
                    assertThat(context).hasSingleBean(ClientResources.class).hasBean("mqClientResources");
                    resources.set(context.getBean(ClientResources.class));
                    client.set(context.getBean(MQClientInstance.class));
                    assertThat(((MultithreadEventExecutorGroup) resources.get().eventLoopGroup()).executorCount())
                            .isEqualTo(3);
                    // the started client schedules its route refresh on these event loops
                    assertThat(threadRuns("mq-io-default-resources-test-")).isTrue();
                    // the client depends on the resources, so the context destroys it first
                    assertThat(context.getBeanFactory().getDependenciesForBean("mqClientInstance"))
                            .contains("mqClientResources");
                });
        assertThat(client.get().state()).isEqualTo(ClientState.SHUTDOWN);
        assertThat(resources.get().isClosed()).isTrue();
    }

    /**
     * spring.threads.virtual.enabled chooses the bean by {@code @ConditionalOnThreading}: on Java 21+
     * callbacks run on virtual threads; before 21 the property cannot take effect and the platform
     * bean stays.
     */
    @Test
    void virtualThreadsRunTheCallbacksWhenEnabledOnJava21() {
        boolean java21 = Runtime.version().feature() >= 21;
        runner.withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(ClientResources.class).hasBean(MQAutoConfiguration.CLIENT_RESOURCES_BEAN);
            assertThat(context.getBeanFactory().getBeanDefinition(MQAutoConfiguration.CLIENT_RESOURCES_BEAN)
                    .getFactoryMethodName())
                    .isEqualTo(java21 ? "mqClientResourcesVirtualThreads" : "mqClientResources");
            CompletableFuture<Thread> ran = new CompletableFuture<>();
            context.getBean(ClientResources.class).callbackExecutor().execute(() -> ran.complete(Thread.currentThread()));
            Thread thread = ran.get(10, TimeUnit.SECONDS);
            if (java21) {
                assertThat(Thread.class.getMethod("isVirtual").invoke(thread)).isEqualTo(true);
            } else {
                assertThat(thread.getName()).startsWith("mq-callback-");
            }
        });
        runner.run(context -> assertThat(context.getBeanFactory()
                .getBeanDefinition(MQAutoConfiguration.CLIENT_RESOURCES_BEAN).getFactoryMethodName())
                .isEqualTo("mqClientResources"));
    }

    @Test
    void unsetIoThreadsLeaveTheDefault() {
        runner.run(context -> assertThat(((MultithreadEventExecutorGroup) context.getBean(ClientResources.class)
                .eventLoopGroup()).executorCount()).isEqualTo(ClientResources.Builder.DEFAULT_IO_THREADS));
    }

    @Test
    void anApplicationBeanIsUsedAndClosedByTheContextAsItsBeanDefinitionSays() {
        ClientResources own = ClientResources.builder().name("app-resources-test").build();
        runner.withBean("appResources", ClientResources.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(ClientResources.class).doesNotHaveBean("mqClientResources");
            assertThat(threadRuns("mq-io-app-resources-test-")).isTrue();
            assertThat(context.getBeanFactory().getDependenciesForBean("mqClientInstance")).contains("appResources");
        });
        // an AutoCloseable bean: the context closes it, after the client (which never does)
        assertThat(own.isClosed()).isTrue();
    }

    @Test
    void anApplicationBeanWithoutDestroyMethodIsLeftOpenForTheApplication() {
        AtomicReference<MQClientInstance> client = new AtomicReference<>();
        try (ClientResources shared = ClientResources.builder().name("shared-resources-test").build()) {
            runner.withBean("sharedResources", ClientResources.class, () -> shared,
                            definition -> definition.setDestroyMethodName(""))
                    .run(context -> {
                        client.set(context.getBean(MQClientInstance.class));
                        assertThat(threadRuns("mq-io-shared-resources-test-")).isTrue();
                    });
            assertThat(client.get().state()).isEqualTo(ClientState.SHUTDOWN);
            assertThat(shared.isClosed()).isFalse(); // borrowed by the client, not the context's to close
        }
    }
}
