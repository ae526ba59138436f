package dev.mq.core.internal.transport;

import dev.mq.core.MQException;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one request. Called exactly once, on the connection's event loop (or the timer
 * thread for requests that never reached a connection): implementations must not block and must
 * not run user code.
 */
public interface ResponseCallback {

    /**
     * The response arrived. For a oneway request this is called with {@code null} once the frame
     * has been written to the socket.
     */
    void onResponse(@Nullable RemotingCommand response);

    /** The request failed: {@link MQException.Reason#TIMEOUT} or {@link MQException.Reason#CONNECTION}. */
    void onFailure(MQException error);

    /**
     * Whether the response's body is to be handed over as the connection received it
     * ({@link RemotingCommand#bodyBuffer()}) rather than copied into an array first: then this callback
     * owns the response and must {@link RemotingCommand#release()} it once read, on every path. For large
     * bodies that are decoded once and dropped (pull answers).
     */
    default boolean takesBodyBuffer() {
        return false;
    }
}
