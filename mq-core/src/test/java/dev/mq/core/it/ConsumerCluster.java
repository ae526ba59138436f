package dev.mq.core.it;

import dev.mq.test.WithEmbeddedRocketMQ;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The RocketMQ 5.x cluster that {@link ConsumerModesIntegrationTest} and
 * {@link ConsumerPiecesIntegrationTest} share, started once per run instead of once per class: delay
 * levels of a second each (a retried message comes back within seconds), server-side offset resets
 * off (an administrator's reset reaches the members as a 4.9 broker sends it), and no property
 * filter. The classes use topics and groups of their own names.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WithEmbeddedRocketMQ(shared = true, topics = {"AdminTopic", "LockTopic"},
        brokerProperties = {"messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s",
                "useServerSideResetOffset=false"})
@interface ConsumerCluster {
}
