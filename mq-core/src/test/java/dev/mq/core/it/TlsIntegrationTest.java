package dev.mq.core.it;

import dev.mq.test.RocketMQVersion;

/** {@link TlsIntegrationContract} on RocketMQ 5.5.0. */
class TlsIntegrationTest extends TlsIntegrationContract {

    @Override
    RocketMQVersion version() {
        return RocketMQVersion.V5;
    }
}
