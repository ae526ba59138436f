package dev.mq.core.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.client.MQClientInstance;
import org.junit.jupiter.api.Test;

/** What a consumer refuses before touching any broker. */
class PushConsumerLifecycleTest {

    static ConsumerConfig.Builder config(String group) {
        return ConsumerConfig.builder().group(group).subscribe("T", "*");
    }

    @Test
    void aConsumerCannotStartBeforeItsClient() {
        try (MQClientInstance client = MQClientInstance.builder().nameServer("127.0.0.1:1").build()) {
            PushConsumer consumer = client.newPushConsumer(config("g").build(), m -> ConsumeResult.SUCCESS);
            assertThatThrownBy(consumer::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("RUNNING");
            assertThat(consumer.state()).isEqualTo(ConsumerState.CREATED);
            assertThat(consumer.stats().cachedMessages()).isZero();
            assertThat(consumer.assignedQueues()).isEmpty();
        }
    }

    @Test
    void broadcastingAndOrderlyAreRefusedAtStartForNow() {
        try (MQClientInstance client = MQClientInstance.builder().nameServer("127.0.0.1:1").build()) {
            client.start();
            PushConsumer broadcasting = client.newPushConsumer(config("b").messageModel(MessageModel.BROADCASTING)
                    .build(), m -> ConsumeResult.SUCCESS);
            assertThatThrownBy(broadcasting::start).isInstanceOfSatisfying(MQException.class,
                    e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION))
                    .hasMessageContaining("BROADCASTING is not supported yet");
            PushConsumer orderly = client.newPushConsumer(config("o").orderly(true).build(),
                    m -> ConsumeResult.SUCCESS);
            assertThatThrownBy(orderly::start).isInstanceOfSatisfying(MQException.class,
                    e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION))
                    .hasMessageContaining("orderly(true) is not supported yet");
            assertThat(broadcasting.state()).isEqualTo(ConsumerState.CREATED);
            assertThat(orderly.state()).isEqualTo(ConsumerState.CREATED);
        }
    }

    @Test
    void oneClientHoldsOneConsumerPerGroupUntilItIsClosed() {
        try (MQClientInstance client = MQClientInstance.builder().nameServer("127.0.0.1:1").build()) {
            PushConsumer first = client.newPushConsumer(config("dup").build(), m -> ConsumeResult.SUCCESS);
            assertThatThrownBy(() -> client.newPushConsumer(config("dup").build(), m -> ConsumeResult.SUCCESS))
                    .isInstanceOfSatisfying(MQException.class,
                            e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION))
                    .hasMessageContaining("'dup'");
            first.close();
            assertThat(first.state()).isEqualTo(ConsumerState.CLOSED);
            assertThat(client.consumers()).isEmpty();
            assertThatThrownBy(first::start).isInstanceOf(IllegalStateException.class);
            assertThat(client.newPushConsumer(config("dup").build(), m -> ConsumeResult.SUCCESS)).isNotNull();
        }
    }
}
