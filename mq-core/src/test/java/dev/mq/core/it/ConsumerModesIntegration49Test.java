package dev.mq.core.it;

import dev.mq.test.RocketMQVersion;
import dev.mq.test.WithEmbeddedRocketMQ;

/** The same against a RocketMQ 4.9 broker (which always resets offsets on the client side). */
@WithEmbeddedRocketMQ(version = RocketMQVersion.V4_9,
        brokerProperties = {"messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s"})
class ConsumerModesIntegration49Test extends ConsumerModesIntegrationTest {
}
