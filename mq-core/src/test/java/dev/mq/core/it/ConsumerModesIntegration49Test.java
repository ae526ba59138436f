package dev.mq.core.it;

/** The same against a RocketMQ 4.9 broker (which always resets offsets on the client side). */
@ConsumerCluster49
class ConsumerModesIntegration49Test extends ConsumerModesIntegrationTest {
}
