package dev.mq.core.internal.transport;

import io.netty.buffer.ByteBuf;

/**
 * A request body that writes itself straight into the frame buffer, so that a body assembled from
 * parts (an automatic batch laid out from its messages) is never materialised as an array first.
 */
public interface FrameBody {

    /** The exact number of bytes {@link #writeTo} writes. */
    int length();

    /** Writes the body to {@code out}, which has room for {@link #length()} bytes. */
    void writeTo(ByteBuf out);
}
