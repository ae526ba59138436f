package dev.mq.core.it.faults;

import dev.mq.test.WithEmbeddedRocketMQ;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one-broker RocketMQ 5.x cluster that the single-broker fault tests (and other tests that need
 * nothing but a plain broker) share, started once per run instead of once per class (a start costs 5–20 s on a loaded two-core machine). The marker topic
 * keeps any other {@code shared} test class from sharing it. Test classes run one after another,
 * so a class may kill the broker or the NameServer; it must bring them back in {@code @AfterEach}
 * ({@code startBroker} and {@code startNameServer} do nothing when the node runs).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WithEmbeddedRocketMQ(shared = true, topics = "FaultInjectionMarker")
public @interface FaultInjectionCluster {
}
