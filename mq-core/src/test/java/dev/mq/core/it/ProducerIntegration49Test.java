package dev.mq.core.it;

/** The same send-mode suite against a RocketMQ 4.9 broker (the consumer tests' shared one: its topics are its own). */
@ConsumerCluster49
class ProducerIntegration49Test extends ProducerIntegrationTest {
}
