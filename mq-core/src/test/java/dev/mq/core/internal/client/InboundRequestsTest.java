package dev.mq.core.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.transport.InboundRequestHandler;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundRequestsTest {

    private static RemotingCommand request(int code, int flag) {
        return new RemotingCommand(code, "JAVA", 479, 7, flag, null, Map.of(), null);
    }

    @Test
    void routesARegisteredCodeToItsHandlerAndRefusesOthersAsRocketMQDoes() {
        InboundRequests inbound = new InboundRequests();
        List<String> seen = new ArrayList<>();
        inbound.register(RequestCode.CHECK_TRANSACTION_STATE, (address, request) -> {
            seen.add(address + " " + request.code());
            return null;
        });

        assertThat(inbound.handle("10.0.0.1:10911", request(RequestCode.CHECK_TRANSACTION_STATE, 2))).isNull();
        OutboundFrame refused = inbound.handle("10.0.0.1:10911", request(40, 0));
        OutboundFrame silent = inbound.handle("10.0.0.1:10911", request(40, 2));

        assertThat(seen).containsExactly("10.0.0.1:10911 " + RequestCode.CHECK_TRANSACTION_STATE);
        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(InboundRequestHandler.REQUEST_CODE_NOT_SUPPORTED);
        assertThat(silent).isNull(); // a oneway request gets no answer, not even a refusal
    }
}
