package dev.mq.core.internal.consume;

import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.ConsumeDirectlyResult;
import dev.mq.core.internal.protocol.ConsumerRunningInfo;
import dev.mq.core.internal.protocol.StoredMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A client's push consumers as the broker's requests see them ({@link ConsumerAdminRequests}): each
 * request names a group as it travels, and goes to the running consumer of that group here.
 */
public final class ClientConsumers implements ConsumerAdminRequests.Consumers {

    private final List<DefaultPushConsumer> consumers;

    /** @param consumers the client's live list of consumers (read at each request) */
    public ClientConsumers(List<DefaultPushConsumer> consumers) {
        this.consumers = consumers;
    }

    @Override
    public void consumerIdsChanged(String group) {
        for (DefaultPushConsumer consumer : consumers) {
            if (consumer.wireGroup().equals(group)) {
                consumer.rebalanceSoon();
            }
        }
    }

    @Override
    public @Nullable ConsumerRunningInfo runningInfo(String group) {
        for (DefaultPushConsumer consumer : consumers) {
            if (consumer.wireGroup().equals(group)) {
                ConsumerRunningInfo info = consumer.runningInfo();
                if (info != null) {
                    return info;
                }
            }
        }
        return null;
    }

    @Override
    public @Nullable CompletionStage<ConsumeDirectlyResult> consumeDirectly(String group, StoredMessage message,
                                                                            @Nullable String brokerName) {
        for (DefaultPushConsumer consumer : consumers) {
            if (consumer.wireGroup().equals(group)) {
                CompletionStage<ConsumeDirectlyResult> running = consumer.consumeDirectly(message, brokerName);
                if (running != null) {
                    return running;
                }
            }
        }
        return null;
    }

    @Override
    public void resetOffsets(String group, String topic, Map<MessageQueue, Long> offsets) {
        for (DefaultPushConsumer consumer : consumers) {
            if (consumer.wireGroup().equals(group)) {
                consumer.resetOffsets(offsets);
            }
        }
    }
}
