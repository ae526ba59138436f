package dev.mq.core.it;

import dev.mq.test.RocketMQVersion;

/** {@link TlsIntegrationContract} on RocketMQ 4.9.7: our client over TLS to a 4.9 cluster that refuses plaintext. */
class TlsIntegration49Test extends TlsIntegrationContract {

    @Override
    RocketMQVersion version() {
        return RocketMQVersion.V4_9;
    }
}
