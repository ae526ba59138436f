package dev.mq.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.client.ClientState;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.it.faults.FaultInjectionCluster;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@FaultInjectionCluster
class CloseIntegrationTest {

    @Test
    void closeWithSendsInFlightCompletesEveryFutureAndLeavesNoThread(EmbeddedRocketMQ mq) throws Exception {
        mq.createTopic("CloseTopic", 4);
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress()).build();
        client.start();
        Producer producer = client.newProducer(ProducerConfig.builder().group("close-it").build());
        producer.send(Message.builder("CloseTopic").body("warm-up").build());

        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            futures.add(producer.sendAsync(Message.builder("CloseTopic").body("m" + i).build()));
        }
        client.close();

        assertThat(client.state()).isEqualTo(ClientState.SHUTDOWN);
        CompletableFuture.allOf(futures.stream().map(f -> f.exceptionally(e -> null))
                .toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(futures).allMatch(CompletableFuture::isDone);
        assertThatThrownBy(() -> producer.send(Message.builder("CloseTopic").body("late").build()))
                .isInstanceOfSatisfying(MQException.class, e -> assertThat(e.reason()).isEqualTo(MQException.Reason.SHUTDOWN));
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.isAlive() && !before.contains(t) && t.getName().startsWith("mq-"))
                .isEmpty();
    }
}
