package dev.mq.core.it;

import dev.mq.test.RocketMQVersion;
import dev.mq.test.WithEmbeddedRocketMQ;

/** The same transaction suite against a RocketMQ 4.9 broker (no broker name or topic in its checks). */
@WithEmbeddedRocketMQ(version = RocketMQVersion.V4_9,
        topics = {"TxCommit", "TxRollback", "TxUnknown", "TxThrows", "TxOrphan", "TxConnect"},
        brokerProperties = {"transactionCheckInterval=1000", "transactionTimeOut=1000", "transactionCheckMax=15"})
class TransactionIntegration49Test extends TransactionIntegrationTest {
}
