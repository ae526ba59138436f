package dev.mq.core.remoting;

import dev.mq.core.MQException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One multiplexed, pipelined connection to a server, from the moment it is asked for.
 *
 * <p>Any thread may {@link #send} an encoded request. Requests join one FIFO queue whether the
 * connection is still being opened or already open, so requests reach the wire in the order they
 * were sent. The event loop drains the queue, registers each request in the in-flight table under
 * its opaque and flushes once per drain: under load many requests share one flush and one system
 * call. The in-flight table is touched only by the event loop.
 */
final class Connection {

    private final String address;
    private final EventLoop eventLoop;
    private final Queue<InFlightRequest> writeQueue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final IntObjectHashMap<InFlightRequest> inFlight = new IntObjectHashMap<>();
    private volatile Channel channel;
    private volatile boolean closed;
    private volatile boolean goingAway;
    private volatile boolean closeRequested;
    private volatile MQException closeReason;

    Connection(String address, EventLoop eventLoop) {
        this.address = address;
        this.eventLoop = eventLoop;
    }

    String address() {
        return address;
    }

    EventLoop eventLoop() {
        return eventLoop;
    }

    Channel channel() {
        return channel;
    }

    /**
     * Whether new requests may use this connection (connecting or open, not closing). A channel that
     * is no longer active counts as closed at once: Netty reports the close to the handler a moment
     * later, and a request queued here in between would fail instead of opening a new connection.
     */
    boolean isUsable() {
        Channel ch = channel;
        return !closed && !goingAway && (ch == null || ch.isActive());
    }

    /** Queues an encoded request for writing; callable from any thread. */
    void send(InFlightRequest request) {
        request.attach(this);
        writeQueue.offer(request);
        if (drainScheduled.compareAndSet(false, true)) {
            eventLoop.execute(drainTask);
        }
    }

    /** Event loop: the TCP (and TLS) connection is established. */
    void opened(Channel channel) {
        this.channel = channel;
        drain();
    }

    private void drain() {
        drainScheduled.set(false);
        if (closed) {
            failQueued();
            return;
        }
        Channel ch = channel;
        if (ch == null) {
            return; // still connecting: opened() drains
        }
        boolean wrote = false;
        InFlightRequest request;
        while ((request = writeQueue.poll()) != null) {
            if (request.isDone()) { // expired while queued
                request.releaseFrame();
                continue;
            }
            ByteBuf frame = request.takeFrame();
            if (request.oneway) {
                ch.write(frame).addListener(request);
            } else {
                inFlight.put(slot(request.opaque), request);
                ch.write(frame, ch.voidPromise());
            }
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
    }

    /** Event loop: a response arrived. */
    void complete(RemotingCommand response) {
        InFlightRequest request = inFlight.remove(slot(response.opaque()));
        if (request != null) {
            request.succeed(response);
        }
        if (goingAway && inFlight.isEmpty()) {
            close();
        }
    }

    /** Timer thread: the request's deadline passed. */
    void expire(InFlightRequest request) {
        eventLoop.execute(() -> {
            if (inFlight.get(slot(request.opaque)) == request) {
                inFlight.remove(slot(request.opaque));
            }
            request.fail(new MQException(MQException.Reason.TIMEOUT,
                    "no response from " + address + " before the deadline"));
        });
    }

    /**
     * The server announced shutdown (GO_AWAY): new requests go to a new connection, and this one
     * closes once its in-flight requests are answered.
     */
    void goAway() {
        goingAway = true;
        if (inFlight.isEmpty()) {
            close();
        }
    }

    /** Event loop: the connection could not be opened or is gone. Every request on it fails at once. */
    void closed(MQException reason) {
        if (closed) {
            return;
        }
        closeReason = reason;
        closed = true;
        List<InFlightRequest> pending = new ArrayList<>(inFlight.values());
        inFlight.clear();
        for (InFlightRequest request : pending) {
            request.fail(reason);
        }
        failQueued();
    }

    private void failQueued() {
        MQException reason = closeReason != null ? closeReason
                : new MQException(MQException.Reason.CONNECTION, "connection to " + address + " closed");
        InFlightRequest request;
        while ((request = writeQueue.poll()) != null) {
            request.fail(reason);
        }
    }

    /**
     * The in-flight table's key for {@code opaque}. Opaques are consecutive, and the table probes
     * linearly from {@code key & mask}: consecutive keys would form one long run, and removing its oldest
     * entry would shift the whole run back. Multiplying by an odd constant (a bijection on int) places
     * the requests in flight on distinct slots instead.
     */
    private static int slot(int opaque) {
        return opaque * 0x9E3779B9;
    }

    int inFlightCount() {
        return inFlight.size();
    }

    /** Whether this side asked for the close (shutdown, GO_AWAY drained, idle), not the server. */
    boolean closeRequested() {
        return closeRequested;
    }

    /** Closes the channel (if open); in-flight requests fail with CONNECTION. */
    void close() {
        closeRequested = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        } else {
            eventLoop.execute(() -> closed(new MQException(MQException.Reason.CONNECTION,
                    "connection to " + address + " closed before it was established")));
        }
    }
}
