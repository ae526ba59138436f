package dev.mq.core.internal.transport;

import dev.mq.core.MQException;
import dev.mq.core.internal.protocol.ResponseCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection: routes responses to the in-flight table, hands
 * server-initiated requests to the client, closes idle or broken connections and fails what was in
 * flight on them. Nothing here blocks or runs user code.
 */
final class ClientChannelHandler extends SimpleChannelInboundHandler<RemotingCommand> {

    private static final Logger log = LoggerFactory.getLogger(ClientChannelHandler.class);

    private final Connection connection;
    private final RemotingClient client;
    private final boolean tls;
    private @Nullable Throwable failure;

    ClientChannelHandler(Connection connection, RemotingClient client, boolean tls) {
        this.connection = connection;
        this.client = client;
        this.tls = tls;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RemotingCommand command) {
        connection.received();
        if (command.isResponse()) {
            if (command.code() == ResponseCode.GO_AWAY) {
                // Before completing: the completion may run the caller's next request at once, and it
                // must not be queued on this connection, which closes once its last answer is in.
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
            connection.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
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
        connection.closed(new MQException(MQException.Reason.CONNECTION, closeReason(ctx), failure));
    }

    private String closeReason(ChannelHandlerContext ctx) {
        String address = connection.address();
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null && !ssl.handshakeFuture().isSuccess() && !connection.closeRequested()) {
            Throwable cause = ssl.handshakeFuture().cause();
            if (causedBy(cause, CertificateException.class) != null) {
                // Chain (unknown issuer, expired) or name (the host connected to is not in the certificate).
                return "TLS handshake with " + address + " failed: the server's certificate was not accepted: "
                        + cause + "; check that this client trusts the CA that issued it and that the "
                        + "certificate names the host connected to (an IP address needs an IP subject alternative name)";
            }
            return "TLS handshake with " + address + " did not complete"
                    + (cause == null || cause instanceof ClosedChannelException ? "" : ": " + cause)
                    + "; if the server does not accept TLS (RocketMQ tls.server.mode=disabled), turn TLS off on this "
                    + "client, otherwise check that it trusts the server's certificate";
        }
        if (connection.closeExplanation() != null) { // before failure: closing fails the writes still queued
            return connection.closeExplanation();
        }
        SSLHandshakeException alert = tls ? causedBy(failure, SSLHandshakeException.class) : null;
        if (alert != null && String.valueOf(alert.getMessage()).contains("certificate")) {
            // The server's alert after this side's part of the handshake (TLS 1.3 sends it that late).
            return "connection to " + address + " lost: the server refused this client's certificate, or its lack "
                    + "of one: " + alert.getMessage() + "; if the server requires client certificates (mutual TLS), "
                    + "give this client a key and certificate issued by a CA the server trusts";
        }
        if (failure != null) {
            return "connection to " + address + " lost: " + failure;
        }
        if (connection.closeRequested() || connection.receivedAny()) {
            return "connection to " + address + " closed";
        }
        // The server hung up without a word. A RocketMQ server in TLS "enforcing" mode does exactly
        // this to a plaintext client, at its first byte; so does one that is shutting down or sees a
        // frame it cannot read.
        return "connection to " + address + " was closed by the server before it answered anything"
                + (tls ? "" : "; if the server requires TLS (RocketMQ tls.server.mode=enforcing), enable TLS on "
                        + "this client (MQClientInstance.Builder.sslContext, or mq.client.tls.enabled=true)");
    }

    private static <T extends Throwable> @Nullable T causedBy(@Nullable Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
