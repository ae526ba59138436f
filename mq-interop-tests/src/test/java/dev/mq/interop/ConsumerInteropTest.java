package dev.mq.interop;

import dev.mq.test.WithEmbeddedRocketMQ;

/** {@link ConsumerInteropContract} on RocketMQ 5.5.0 (its cluster shared with {@link ConsumerScaleOutInTest}). */
@WithEmbeddedRocketMQ(shared = true, brokerProperties = ConsumerInteropContract.SHORT_DELAY_LEVELS)
class ConsumerInteropTest extends ConsumerInteropContract {

    @Override
    boolean brokerKeepsBatchIds() {
        return true;
    }
}
