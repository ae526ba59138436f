package dev.mq.interop;

import dev.mq.test.WithEmbeddedRocketMQ;

/** {@link ConsumerInteropContract} on RocketMQ 5.5.0. */
@WithEmbeddedRocketMQ(brokerProperties = ConsumerInteropContract.SHORT_DELAY_LEVELS)
class ConsumerInteropTest extends ConsumerInteropContract {

    @Override
    boolean brokerKeepsBatchIds() {
        return true;
    }
}
