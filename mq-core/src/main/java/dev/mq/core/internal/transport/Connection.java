package dev.mq.core.internal.transport;

import dev.mq.core.MQException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One multiplexed, pipelined connection to a server, from the moment it is asked for.
 *
 * <p>Any thread may {@link #send} an encoded request. Requests join one FIFO queue whether the
 * connection is still being opened or already open, so requests reach the wire in the order they
 * were sent. The event loop drains the queue, registers each request in the in-flight table under
 * its opaque and flushes once per drain: under load many requests share one flush and one system
 * call. The in-flight table is touched only by the event loop.
 *
 * <p>Requests are written only while the channel is writable (its outbound buffer below the high-water
 * mark): a server that stops reading closes its TCP window, and writing on regardless would pile every
 * later request's bytes into the outbound buffer, long after their senders gave up. Requests that
 * wait meanwhile stay in the queue, where an expiring one releases its frame at once, so the bytes
 * held for a connection stay bounded by the producers' in-flight caps plus one outbound buffer. A
 * connection whose server reads nothing of what waits for it for the write-stall timeout is declared
 * dead: it closes and its requests fail with CONNECTION, as after a crash.
 */
final class Connection {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final String address;
    private final EventLoop eventLoop;
    private final long writeStallNanos;
    private final Queue<InFlightRequest> writeQueue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final IntObjectHashMap<InFlightRequest> inFlight = new IntObjectHashMap<>();
    private volatile @Nullable Channel channel;
    private volatile boolean closed;
    private volatile boolean goingAway;
    private volatile boolean closeRequested;
    private volatile @Nullable MQException closeReason;
    /** Why this side closed the connection, when it did so for a reason worth telling the requests. */
    private volatile @Nullable String closeExplanation;
    /** Event loop: the pending stall check, while the channel is not writable. */
    private @Nullable ScheduledFuture<?> stallCheck;
    /** Event loop: the outbound bytes still to drain at the last stall check. */
    private long unwrittenAtLastCheck;
    /** Event loop: frames received from the server, a sign of life the kernel's send buffer cannot hide. */
    private long framesReceived;
    private long framesReceivedAtLastCheck;

    Connection(String address, EventLoop eventLoop, long writeStallNanos) {
        this.address = address;
        this.eventLoop = eventLoop;
        this.writeStallNanos = writeStallNanos;
    }

    String address() {
        return address;
    }

    EventLoop eventLoop() {
        return eventLoop;
    }

    @Nullable Channel channel() {
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
        writeQueue.offer(request);
        if (drainScheduled.compareAndSet(false, true)) {
            eventLoop.execute(drainTask);
        }
    }

    /** Event loop: the TCP (and TLS) connection is established. */
    void opened(Channel channel) {
        this.channel = channel;
        if (closed) { // closed while connecting (the client closed): on shared event loops nobody else would
            channel.close();
        }
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
        while (ch.isWritable() && (request = writeQueue.poll()) != null) {
            if (request.isDone()) { // expired while queued
                request.releaseFrame();
                continue;
            }
            ByteBuf frame = request.takeFrame();
            if (frame == null) { // failed (and released) by another thread a moment ago
                continue;
            }
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
        if (!ch.isWritable()) {
            watchForStall(ch);
        }
    }

    /** Event loop: the channel's writability changed; a writable channel takes the requests that waited. */
    void writabilityChanged() {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (ch.isWritable()) {
            drain();
        } else {
            watchForStall(ch);
        }
    }

    /**
     * Event loop: the channel stopped taking bytes. If the server reads none of them for the write-stall
     * timeout, it is not coming back soon (a frozen process, a partition that drops packets): the
     * connection is closed rather than left to hold requests until each one's deadline, forever.
     */
    private void watchForStall(Channel ch) {
        if (stallCheck == null && !closed) {
            unwrittenAtLastCheck = ch.bytesBeforeWritable();
            framesReceivedAtLastCheck = framesReceived;
            stallCheck = eventLoop.schedule(this::checkStall, writeStallNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkStall() {
        stallCheck = null;
        Channel ch = channel;
        if (closed || ch == null || ch.isWritable()) {
            return;
        }
        // Progress in our buffer can hide behind a large kernel send buffer, which frees space in big steps;
        // an answer from the server cannot: either shows it is alive and reading, if slowly.
        if (ch.bytesBeforeWritable() < unwrittenAtLastCheck || framesReceived != framesReceivedAtLastCheck) {
            watchForStall(ch);
            return;
        }
        String why = "connection to " + address + " stalled: the server read none of the bytes waiting for it for "
                + TimeUnit.NANOSECONDS.toMillis(writeStallNanos) + " ms";
        log.warn("closing {}", why);
        closeExplanation = why;
        close();
    }

    /** Why this side closed the connection, if it had a reason to tell its requests; otherwise null. */
    @Nullable String closeExplanation() {
        return closeExplanation;
    }

    /** Event loop: the server sent a frame (a response or a request of its own). */
    void received() {
        framesReceived++;
    }

    /** Event loop: whether the server ever sent anything on this connection. */
    boolean receivedAny() {
        return framesReceived > 0;
    }

    /**
     * Event loop: whether the request waiting for the response {@code opaque} takes its body as the
     * received buffer ({@link ResponseCallback#takesBodyBuffer}); the frame decoder asks before reading it.
     */
    boolean takesBodyBuffer(int opaque) {
        InFlightRequest request = inFlight.get(slot(opaque));
        return request != null && request.opaque == opaque && request.takesBodyBuffer();
    }

    /** Event loop: a response arrived. */
    void complete(RemotingCommand response) {
        InFlightRequest request = inFlight.remove(slot(response.opaque()));
        if (request != null) {
            request.succeed(response);
        } else {
            response.release(); // its request expired or failed: nobody takes it
        }
        if (goingAway && inFlight.isEmpty()) {
            close();
        }
    }

    /** Timer thread: the request's deadline passed. */
    void expire(InFlightRequest request) {
        eventLoop.execute(() -> {
            String why;
            if (inFlight.get(slot(request.opaque)) == request) {
                inFlight.remove(slot(request.opaque));
                why = "no response from " + address + " before the deadline";
            } else if (channel == null) {
                why = "the connection to " + address + " was not established before the deadline";
            } else {
                why = "the request to " + address + " was still waiting to be written at its deadline: the server "
                        + "is not reading what is sent to it";
            }
            request.fail(new MQException(MQException.Reason.TIMEOUT, why));
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
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
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
