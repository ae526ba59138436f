package dev.mq.interop;

import dev.mq.test.RocketMQVersion;
import dev.mq.test.WithEmbeddedRocketMQ;

/** {@link ConsumerInteropContract} on RocketMQ 4.9.7, with Apache's 5.5.0 clients. */
@WithEmbeddedRocketMQ(version = RocketMQVersion.V4_9, brokerProperties = ConsumerInteropContract.SHORT_DELAY_LEVELS)
class ConsumerInterop49Test extends ConsumerInteropContract {

    @Override
    boolean brokerKeepsBatchIds() {
        return false;
    }
}
