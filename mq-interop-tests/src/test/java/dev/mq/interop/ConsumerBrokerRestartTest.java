package dev.mq.interop;

import dev.mq.test.WithEmbeddedRocketMQ;

/** {@link ConsumerBrokerRestartContract} on RocketMQ 5.5.0. */
@WithEmbeddedRocketMQ(topics = ConsumerBrokerRestartContract.TOPIC)
class ConsumerBrokerRestartTest extends ConsumerBrokerRestartContract {
}
