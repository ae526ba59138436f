package dev.mq.core.it;

import dev.mq.test.RocketMQVersion;
import dev.mq.test.WithEmbeddedRocketMQ;

/** The same send-mode suite against a RocketMQ 4.9 broker. */
@WithEmbeddedRocketMQ(version = RocketMQVersion.V4_9)
class ProducerIntegration49Test extends ProducerIntegrationTest {
}
