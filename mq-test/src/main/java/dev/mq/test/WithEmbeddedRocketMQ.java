package dev.mq.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against a real {@link EmbeddedRocketMQ}, in the spirit of spring-kafka-test's
 * {@code @EmbeddedKafka}.
 *
 * <p>One instance serves the whole class (or, with {@link #shared()}, every class in the run that
 * asks for the same settings) and is closed after it. Test constructors, lifecycle and test methods
 * can declare an {@link EmbeddedRocketMQ} parameter to receive it. While the class runs, the system
 * property {@value EmbeddedRocketMQ#NAME_SERVER_PROPERTY} holds its name server address, so a Spring
 * Boot test picks it up as {@code mq.name-server} without further configuration.
 *
 * <pre>{@code
 * @WithEmbeddedRocketMQ(topics = "Orders")
 * class OrdersTest {
 *     @Test
 *     void sends(EmbeddedRocketMQ mq) { ... mq.nameServerAddress() ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedRocketMQExtension.class)
public @interface WithEmbeddedRocketMQ {

    /** The Apache RocketMQ release line to run: 5.5.0 by default, or {@link RocketMQVersion#V4_9} for 4.9.7. */
    RocketMQVersion version() default RocketMQVersion.V5;

    /** Number of master brokers in the cluster. */
    int brokers() default 1;

    /** Whether brokers create unknown topics on first send. */
    boolean autoCreateTopic() default true;

    /** Topics created on every broker before the first test runs. */
    String[] topics() default {};

    /** Queues per broker for each of {@link #topics()}. */
    int queues() default 4;

    /**
     * Broker settings as {@code key=value}, each passed to {@link EmbeddedRocketMQ.Builder#brokerProperty}
     * (e.g. {@code "transactionCheckInterval=1000"}).
     */
    String[] brokerProperties() default {};

    /**
     * Share one instance with every other test class in this run that declares the same settings,
     * instead of starting one per class. Tests that stop brokers should not share.
     */
    boolean shared() default false;
}
