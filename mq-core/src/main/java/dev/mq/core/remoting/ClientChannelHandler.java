package dev.mq.core.remoting;

import dev.mq.core.MQException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection: routes responses to the in-flight table, hands
 * server-initiated requests to the client, closes idle or broken connections and fails what was in
 * flight on them. Nothing here blocks or runs user code.
 */
final class ClientChannelHandler extends SimpleChannelInboundHandler<RemotingCommand> {

    private static final Logger log = LoggerFactory.getLogger(ClientChannelHandler.class);
    private static final int GO_AWAY = 1500;

    private final Connection connection;
    private final RemotingClient client;
    private Throwable failure;

    ClientChannelHandler(Connection connection, RemotingClient client) {
        this.connection = connection;
        this.client = client;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RemotingCommand command) {
        if (command.isResponse()) {
            if (command.code() == GO_AWAY) {
                // Before the answer completes its request: whoever it wakes (a retry, the next send)
                // must already find the connection retired, or its request lands on a closing channel.
                client.retire(connection);
                connection.goAway();
            }
            connection.complete(command);
        } else {
            client.dispatchInbound(connection, command);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && connection.inFlightCount() == 0) {
            log.debug("closing idle connection to {}", connection.address());
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Once a connection breaks, every request still queued on it fails its write with another
        // exception. One warning per connection: thousands of lines logged on the event loop would
        // hold up reconnection and every other connection's responses and deadlines.
        if (failure == null) {
            failure = cause;
            log.warn("closing connection to {}: {}", connection.address(), cause.toString());
        } else {
            log.debug("connection to {} already failing: {}", connection.address(), cause.toString());
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        client.retire(connection);
        String why = failure == null ? "connection to " + connection.address() + " closed"
                : "connection to " + connection.address() + " lost: " + failure;
        connection.closed(new MQException(MQException.Reason.CONNECTION, why, failure));
    }
}
