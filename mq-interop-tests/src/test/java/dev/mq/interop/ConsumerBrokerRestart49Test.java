package dev.mq.interop;

import dev.mq.test.RocketMQVersion;
import dev.mq.test.WithEmbeddedRocketMQ;

/** {@link ConsumerBrokerRestartContract} on RocketMQ 4.9.7. */
@WithEmbeddedRocketMQ(version = RocketMQVersion.V4_9, topics = ConsumerBrokerRestartContract.TOPIC)
class ConsumerBrokerRestart49Test extends ConsumerBrokerRestartContract {
}
