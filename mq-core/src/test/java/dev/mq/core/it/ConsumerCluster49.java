package dev.mq.core.it;

import dev.mq.test.RocketMQVersion;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@link ConsumerCluster} on RocketMQ 4.9, shared by {@link ConsumerModesIntegration49Test} and
 * {@link ConsumerPiecesIntegration49Test} (a 4.9 broker always resets offsets on the client side), and
 * by {@link ProducerIntegration49Test}, which needs no more than a plain 4.9 broker.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WithEmbeddedRocketMQ(version = RocketMQVersion.V4_9, shared = true, topics = {"AdminTopic", "LockTopic"},
        brokerProperties = {"messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s"})
@interface ConsumerCluster49 {
}
