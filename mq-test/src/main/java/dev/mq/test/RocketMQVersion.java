package dev.mq.test;

/**
 * The Apache RocketMQ release line an {@link EmbeddedRocketMQ} runs. Each line has its own launcher
 * module and recorded classpath; {@link BrokerRuntime} is the one place that knows how they differ.
 */
public enum RocketMQVersion {

    /** RocketMQ 5.5.0 NameServer and Broker, from {@code dev.mq:mq-test-broker}. The default. */
    V5,

    /** RocketMQ 4.9.7 NameServer and Broker, from {@code dev.mq:mq-test-broker-4}. */
    V4_9
}
