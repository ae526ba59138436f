package dev.mq.spring.autoconfigure.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.SendResult;
import dev.mq.core.client.ClientState;
import dev.mq.core.client.MQClientInstance;
import dev.mq.spring.autoconfigure.MQAutoConfiguration;
import dev.mq.spring.autoconfigure.MQTemplate;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Closing the context with sends in flight: intake stops, in-flight sends finish, every future completes.
 * The cluster is the one the listener tests share (their settings, its own topic).
 */
@WithEmbeddedRocketMQ(shared = true, brokerProperties = "messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s")
class ShutdownTest {

    @Test
    void contextCloseDrainsInFlightSendsAndCompletesEveryFuture(EmbeddedRocketMQ mq) {
        mq.createTopic("ShutdownTopic", 4);
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        AtomicReference<MQClientInstance> client = new AtomicReference<>();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MQAutoConfiguration.class))
                .withPropertyValues("mq.name-server=" + mq.nameServerAddress(), "mq.producer.group=shutdown",
                        "mq.producer.shutdown-timeout=5s")
                .run(context -> {
                    client.set(context.getBean(MQClientInstance.class));
                    MQTemplate template = context.getBean(MQTemplate.class);
                    template.syncSend("ShutdownTopic", "warm-up");
                    for (int i = 0; i < 1_000; i++) {
                        futures.add(template.asyncSend("ShutdownTopic", "m" + i));
                    }
                });
        assertThat(client.get().state()).isEqualTo(ClientState.SHUTDOWN);
        assertThat(futures).allMatch(CompletableFuture::isDone);
        // Within the 5 s shutdown timeout a healthy broker answers all of them.
        assertThat(futures).noneMatch(CompletableFuture::isCompletedExceptionally);
    }
}
