package dev.mq.core.internal.transport;

import org.jspecify.annotations.Nullable;

/**
 * Serves requests that a server initiates on one of our connections (for example
 * CHECK_TRANSACTION_STATE). Runs on the callback executor, never on the event loop.
 */
@FunctionalInterface
public interface InboundRequestHandler {

    /** RocketMQ's answer to a request code nobody serves. */
    int REQUEST_CODE_NOT_SUPPORTED = 3;

    /** Refuses every request that expects an answer, as RocketMQ's own client does. */
    InboundRequestHandler UNSUPPORTED = (address, request) -> request.isOneway() ? null
            : OutboundFrame.response(request.opaque(), REQUEST_CODE_NOT_SUPPORTED,
                    " request type " + request.code() + " not supported");

    /**
     * Handles {@code request} received from {@code address}; returns the response to write, or null
     * for none (always null for oneway requests).
     */
    @Nullable OutboundFrame handle(String address, RemotingCommand request);
}
