package dev.mq.core.it;

import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.test.RocketMQVersion;

/**
 * {@link AclIntegrationContract} on RocketMQ 4.9.7: ACL 1.0 ({@code plain_acl.yml}), whose refusals
 * reach the client as SYSTEM_ERROR with the validator's {@code AclException} in the remark.
 */
class AclIntegration49Test extends AclIntegrationContract {

    @Override
    RocketMQVersion version() {
        return RocketMQVersion.V4_9;
    }

    @Override
    int refusalCode() {
        return ResponseCode.SYSTEM_ERROR;
    }

    @Override
    String wrongSignatureRemark() {
        return "Check signature failed";
    }

    @Override
    String unknownUserRemark() {
        return "No acl config";
    }
}
