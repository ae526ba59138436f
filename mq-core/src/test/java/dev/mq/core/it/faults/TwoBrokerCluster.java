package dev.mq.core.it.faults;

import dev.mq.test.WithEmbeddedRocketMQ;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The two-broker RocketMQ 5.x cluster that the failover tests share, started once per run instead of
 * once per class (two brokers take 10–20 s to start on a loaded two-core machine). As with
 * {@link FaultInjectionCluster}, a class may kill broker {@code broker-1}; it must start it again in
 * {@code @AfterEach}. The marker topic keeps any other {@code shared} test class from sharing it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WithEmbeddedRocketMQ(shared = true, brokers = 2, topics = "TwoBrokerMarker")
public @interface TwoBrokerCluster {
}
