package dev.mq.core.internal.transport;

import dev.mq.core.MQException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * One request from the moment it is encoded until its outcome is known. It is its own timer task
 * (deadline expiry) and its own write listener (oneway requests), so a request costs one object
 * plus its timer entry.
 */
final class InFlightRequest implements TimerTask, ChannelFutureListener {

    private static final AtomicIntegerFieldUpdater<InFlightRequest> DONE =
            AtomicIntegerFieldUpdater.newUpdater(InFlightRequest.class, "done");
    /**
     * The frame changes hands between threads: the event loop takes it to write it, while a timer or a
     * closing thread may fail the request and release it at the same moment. Whoever swaps it out owns it,
     * so it is released exactly once and never after it was taken.
     */
    private static final AtomicReferenceFieldUpdater<InFlightRequest, ByteBuf> FRAME =
            AtomicReferenceFieldUpdater.newUpdater(InFlightRequest.class, ByteBuf.class, "frame");

    final int opaque;
    final boolean oneway;
    /**
     * The connection that writes it, known from the start: the request needs no address of its own
     * (that field took its size from 40 to 48 bytes, one of the per-send objects the send path's
     * allocation benchmark counts), and its deadline always goes to the connection's event loop.
     */
    private final Connection connection;
    private final ResponseCallback callback;
    private volatile @Nullable ByteBuf frame;
    private volatile @Nullable Timeout timeout;
    private volatile int done;

    InFlightRequest(int opaque, boolean oneway, Connection connection, ByteBuf frame, ResponseCallback callback) {
        this.opaque = opaque;
        this.oneway = oneway;
        this.connection = connection;
        this.frame = frame;
        this.callback = callback;
    }

    void timeout(Timeout timeout) {
        this.timeout = timeout;
    }

    boolean isDone() {
        return done != 0;
    }

    /** Hands the encoded frame to the channel; the channel releases it once written. */
    ByteBuf takeFrame() {
        return FRAME.getAndSet(this, null);
    }

    /** Whether the response's body goes to the callback as the received buffer ({@link ResponseCallback#takesBodyBuffer}). */
    boolean takesBodyBuffer() {
        return callback.takesBodyBuffer();
    }

    void succeed(@Nullable RemotingCommand response) {
        if (DONE.compareAndSet(this, 0, 1)) {
            cancelTimeout();
            callback.onResponse(response);
        } else if (response != null) {
            response.release(); // nobody takes it any more
        }
    }

    void fail(MQException error) {
        if (DONE.compareAndSet(this, 0, 1)) {
            cancelTimeout();
            releaseFrame();
            callback.onFailure(error);
        }
    }

    /** Releases the frame if it was never handed to a channel. */
    void releaseFrame() {
        ByteBuf f = FRAME.getAndSet(this, null);
        if (f != null) {
            f.release();
        }
    }

    private void cancelTimeout() {
        Timeout t = timeout;
        if (t != null) {
            t.cancel();
        }
    }

    /** Timer thread: the deadline passed. Bookkeeping moves to the event loop that owns the table. */
    @Override
    public void run(Timeout t) {
        connection.expire(this);
    }

    /** A oneway frame finished writing. */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (future.isSuccess()) {
            succeed(null);
        } else {
            fail(new MQException(MQException.Reason.CONNECTION,
                    "writing to " + connection.address() + " failed: " + future.cause(), future.cause()));
        }
    }
}
