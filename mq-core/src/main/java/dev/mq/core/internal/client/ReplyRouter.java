package dev.mq.core.internal.client;

import dev.mq.core.ReceivedMessage;
import dev.mq.core.internal.protocol.ReplyPush;
import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.core.internal.transport.InboundRequestHandler;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingCommand;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's pending requests, by correlation id, and the handler of PUSH_REPLY_MESSAGE_TO_CLIENT:
 * a broker pushes a reply on whichever connection of this client it holds (it finds it by client id),
 * so one table per client serves every producer. Each push is answered SUCCESS — a reply that
 * matches nothing pending (it came after its request's deadline, or was meant for a request this
 * client no longer waits for) is dropped with a debug log; there is nobody to tell, and a failure
 * answer would only make the broker log a warning. A push that cannot be read is answered
 * SYSTEM_ERROR, which the broker reports to the replier.
 */
public final class ReplyRouter implements InboundRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(ReplyRouter.class);

    /** A pending request: takes its reply (on the callback executor). */
    @FunctionalInterface
    public interface Waiter {
        void replied(ReceivedMessage reply);
    }

    private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
    private final UnaryOperator<String> brokerNameOf;

    /** @param brokerNameOf a broker's name from its address (the address itself when unknown) */
    public ReplyRouter(UnaryOperator<String> brokerNameOf) {
        this.brokerNameOf = brokerNameOf;
    }

    /** Routes the reply with {@code correlationId} to {@code waiter}; false if that id is already waited for. */
    public boolean expect(String correlationId, Waiter waiter) {
        return waiting.putIfAbsent(correlationId, waiter) == null;
    }

    /** Stops waiting ({@code waiter} timed out, failed or was closed); a reply that comes later is dropped. */
    public void forget(String correlationId, Waiter waiter) {
        waiting.remove(correlationId, waiter);
    }

    /** Requests waiting for a reply, over all producers of the client. */
    public int pending() {
        return waiting.size();
    }

    @Override
    public @Nullable OutboundFrame handle(String address, RemotingCommand request) {
        ReceivedMessage reply;
        try {
            reply = ReplyPush.decode(request.extFields(), request.body(), brokerNameOf.apply(address));
        } catch (RuntimeException e) {
            log.warn("unreadable reply pushed by {}: {}", address, e.toString());
            return request.isOneway() ? null
                    : OutboundFrame.response(request.opaque(), ResponseCode.SYSTEM_ERROR, "process reply message fail: "
                            + e.getMessage());
        }
        String correlationId = reply.correlationId();
        Waiter waiter = correlationId == null ? null : waiting.remove(correlationId);
        if (waiter == null) {
            log.debug("reply {} pushed by {} matches no pending request (it came after the request's deadline, or"
                    + " the request was not made here): dropped", correlationId, address);
        } else {
            waiter.replied(reply);
        }
        return request.isOneway() ? null : OutboundFrame.response(request.opaque(), ResponseCode.SUCCESS, null);
    }
}
