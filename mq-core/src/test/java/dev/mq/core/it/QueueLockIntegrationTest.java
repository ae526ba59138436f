package dev.mq.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Clock;
import dev.mq.core.MessageQueue;
import dev.mq.core.client.ClientResources;
import dev.mq.core.internal.client.CallbackExecutor;
import dev.mq.core.internal.consume.QueueLocks;
import dev.mq.core.internal.transport.InboundRequestHandler;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.internal.transport.RemotingConfig;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Orderly queue locks on a real broker: one holder per queue and group, released on unlock. */
@WithEmbeddedRocketMQ(topics = {"LockTopic"})
class QueueLockIntegrationTest {

    private static CallbackExecutor callbacks;
    private static ClientResources resources;
    private static RemotingClient remoting;

    @BeforeAll
    static void start() {
        callbacks = CallbackExecutor.create(null, "lock-it");
        resources = ClientResources.builder().name("lock-it").build();
        remoting = new RemotingClient("lock-it", RemotingConfig.defaults(), InboundRequestHandler.UNSUPPORTED,
                callbacks, resources.eventLoopGroup(), resources.timer(), resources.clock());
    }

    @AfterAll
    static void stop() {
        remoting.close();
        resources.close();
        callbacks.close(Duration.ofSeconds(1));
    }

    private static QueueLocks locks(EmbeddedRocketMQ mq, String clientId, String group) {
        String address = mq.brokerAddress(0);
        return new QueueLocks(remoting, resources.timer(), Clock.system(), clientId, group, queue -> address);
    }

    @Test
    void twoClientsOfAGroupCannotBothLockAQueue(EmbeddedRocketMQ mq) {
        String broker = mq.brokerName(0);
        MessageQueue q0 = new MessageQueue("LockTopic", broker, 0);
        MessageQueue q1 = new MessageQueue("LockTopic", broker, 1);
        MessageQueue q2 = new MessageQueue("LockTopic", broker, 2);
        QueueLocks first = locks(mq, "127.0.0.1@first", "lock-group");
        QueueLocks second = locks(mq, "127.0.0.1@second", "lock-group");
        QueueLocks otherGroup = locks(mq, "127.0.0.1@third", "another-group");

        assertThat(first.lock(List.of(q0, q1)).join()).containsExactlyInAnyOrder(q0, q1);
        assertThat(second.lock(List.of(q1, q2)).join()).containsExactly(q2);
        assertThat(second.isLocked(q1)).isFalse();
        // Renewing keeps what one holds; locks are per group.
        assertThat(first.lock(List.of(q0, q1)).join()).containsExactlyInAnyOrder(q0, q1);
        assertThat(otherGroup.lock(List.of(q0, q1)).join()).containsExactlyInAnyOrder(q0, q1);

        first.unlock(List.of(q1)).join();
        assertThat(first.isLocked(q1)).isFalse();
        assertThat(second.lock(List.of(q1)).join()).containsExactly(q1);
        assertThat(first.lock(List.of(q1)).join()).isEmpty();
        assertThat(first.isLocked(q0)).isTrue();

        second.unlock(List.of(q1, q2)).join();
        first.unlock(List.of(q0)).join();
        otherGroup.unlock(List.of(q0, q1)).join();
    }
}
