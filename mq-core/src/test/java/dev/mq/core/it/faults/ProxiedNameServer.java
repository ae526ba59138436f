package dev.mq.core.it.faults;

import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.testing.Wire;
import io.netty.channel.ChannelHandlerContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in NameServer that answers route lookups with routes the test chose, so that a client can be
 * sent to a {@link dev.mq.test.FaultProxy} in front of a real broker.
 *
 * <p>Why: a real broker registers its own address with the real NameServer, and a client goes where
 * the route says. The engine has no test-only switch to redirect it, and should not have one. So the
 * client under test is given this NameServer, which names the proxy as the broker's master address;
 * the broker behind the proxy is the real one (same broker name, same topic and queues), and
 * everything else — the official consumer that reads the messages back, the broker's own
 * registration — still uses the real NameServer.
 */
final class ProxiedNameServer implements AutoCloseable {

    private final Map<String, byte[]> routes = new ConcurrentHashMap<>();
    private final FakeServer server = new FakeServer(this::handle);

    /** Routes {@code topic} to one master, {@code brokerName} at {@code address}, with {@code queues} queues. */
    ProxiedNameServer route(String topic, String brokerName, String address, int queues) {
        routes.put(topic, Wire.route(brokerName, address, queues));
        return this;
    }

    String address() {
        return server.address();
    }

    private void handle(ChannelHandlerContext ctx, RemotingCommand request) {
        if (request.isOneway() || request.isResponse()) {
            return;
        }
        if (request.code() != RequestCode.GET_ROUTEINFO_BY_TOPIC) {
            ctx.writeAndFlush(FakeServer.response(request.opaque(), ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
                    "not supported by the test name server"));
            return;
        }
        byte[] route = routes.get(request.field("topic"));
        if (route == null) {
            ctx.writeAndFlush(FakeServer.response(request.opaque(), ResponseCode.TOPIC_NOT_EXIST,
                    "no route for " + request.field("topic")));
        } else {
            ctx.writeAndFlush(Wire.frame(request.opaque(), 0, null, Map.of(), route));
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
