package dev.mq.core.it;

import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.test.RocketMQVersion;

/** {@link AclIntegrationContract} on RocketMQ 5.5.0: ACL 2.0, refusals answered NO_PERMISSION. */
class AclIntegrationTest extends AclIntegrationContract {

    @Override
    RocketMQVersion version() {
        return RocketMQVersion.V5;
    }

    @Override
    int refusalCode() {
        return ResponseCode.NO_PERMISSION;
    }

    @Override
    String wrongSignatureRemark() {
        return "check signature failed";
    }

    @Override
    String unknownUserRemark() {
        return "not found";
    }
}
