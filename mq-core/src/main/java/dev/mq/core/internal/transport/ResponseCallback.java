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
}
