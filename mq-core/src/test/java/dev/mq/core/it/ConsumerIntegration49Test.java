package dev.mq.core.it;

import dev.mq.test.RocketMQVersion;
import dev.mq.test.WithEmbeddedRocketMQ;

/**
 * The same consumer suite against a RocketMQ 4.9 broker. A 4.9 broker answers offset 0 to a new
 * group's query while the queue's first message is still in memory (it has no way to be asked for
 * the literal answer), so consume-from does not apply to young queues there, as with the official client.
 */
@WithEmbeddedRocketMQ(version = RocketMQVersion.V4_9,
        brokerProperties = {"messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s",
                "enablePropertyFilter=true"})
class ConsumerIntegration49Test extends ConsumerIntegrationTest {

    @Override
    boolean newGroupsStartAtZero() {
        return true;
    }
}
