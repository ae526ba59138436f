package dev.mq.core.it;

import dev.mq.test.RocketMQVersion;
import dev.mq.test.WithEmbeddedRocketMQ;

/** The same lock checks against a RocketMQ 4.9 broker. */
@WithEmbeddedRocketMQ(version = RocketMQVersion.V4_9, topics = {"LockTopic"})
class QueueLockIntegration49Test extends QueueLockIntegrationTest {
}
