package dev.mq.core.internal.transport;

import dev.mq.core.Clock;
import dev.mq.core.MQException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport: one lazily opened, pipelined connection per server address, on an event-loop group
 * and a timer wheel it is given (the client's {@code ClientResources}, which may serve several
 * clients): it neither creates nor stops them.
 *
 * <p>{@link #invoke} encodes on the calling thread, sets the request's deadline on the timer wheel
 * and queues it on the connection; the response (or timeout, or connection loss) is reported to a
 * {@link ResponseCallback} on the event loop. Nothing blocks: a request for an address that is
 * still connecting waits for the connection attempt, bounded by the connect timeout and by its own
 * deadline. A failed attempt is forgotten, so the next request connects again.
 */
public final class RemotingClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RemotingClient.class);
    /** How long close() waits for the event loops to fail what was in flight. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf(RemotingClient.class, "connection");

    private final RemotingConfig config;
    private final InboundRequestHandler inboundHandler;
    private final @Nullable AclSigner signer;
    private final Executor callbackExecutor;
    private final EventLoopGroup group;
    private final Timer timer;
    private final Clock clock;
    /** Host-name lookups: at most one per address at a time (one connection attempt per address). */
    private final ThreadPoolExecutor lookups;
    private final Bootstrap bootstrap;
    private final ConcurrentMap<String, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger opaques = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param name             names the host-name lookup threads: {@code mq-dns-<name>-N}
     * @param inboundHandler   serves server-initiated requests
     * @param callbackExecutor runs {@code inboundHandler}; never the event loop
     * @param group            the event loops connections are served on; not shut down by {@link #close()}
     * @param timer            where request deadlines (and {@link #schedule} tasks) are set; fires on
     *                         {@code clock}'s time; not stopped by {@link #close()}
     * @param clock            what deadlines are read against
     */
    public RemotingClient(String name, RemotingConfig config, InboundRequestHandler inboundHandler,
                          Executor callbackExecutor, EventLoopGroup group, Timer timer, Clock clock) {
        this.config = config;
        this.inboundHandler = inboundHandler;
        this.signer = config.credentials() == null ? null : new AclSigner(config.credentials());
        this.callbackExecutor = callbackExecutor;
        this.group = group;
        this.timer = timer;
        this.clock = clock;
        this.lookups = new ThreadPoolExecutor(4, 4, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("mq-dns-" + name, true));
        this.lookups.allowCoreThreadTimeOut(true);
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .resolver(new OffLoopResolverGroup(config.hostResolver(), lookups, config.connectTimeout().toNanos()));
    }

    /**
     * Sends {@code frame} to {@code address}; {@code callback} learns the outcome before
     * {@code deadlineNanos} (a {@link Clock#nanoTime()} value of this client's clock) at the latest. Never throws: every
     * failure, even one on the calling thread (a closed client, a frame that cannot be encoded, memory
     * exhausted), reaches the callback.
     */
    public void invoke(String address, OutboundFrame frame, long deadlineNanos, ResponseCallback callback) {
        if (closed) {
            callback.onFailure(new MQException(MQException.Reason.SHUTDOWN, "client is closed"));
            return;
        }
        long remaining = deadlineNanos - clock.nanoTime();
        if (remaining <= 0) {
            callback.onFailure(new MQException(MQException.Reason.TIMEOUT,
                    "deadline passed before the request to " + address + " was sent"));
            return;
        }
        int opaque = opaques.incrementAndGet();
        ByteBuf encoded;
        try {
            encoded = FrameEncoder.encode(signer == null ? frame : signer.sign(frame), opaque, ByteBufAllocator.DEFAULT);
        } catch (OutOfMemoryError e) { // direct memory exhausted: the caller hears it like a full in-flight cap
            callback.onFailure(new MQException(MQException.Reason.BACKPRESSURE, "out of memory encoding the request to "
                    + address + ": " + e.getMessage(), e));
            return;
        } catch (RuntimeException | Error e) { // nothing was written: fail this request, never its caller's thread
            callback.onFailure(new MQException(MQException.Reason.VALIDATION, "the request to " + address
                    + " could not be encoded: " + e, e));
            return;
        }
        Connection connection;
        try {
            connection = connection(address);
        } catch (RejectedExecutionException | IllegalStateException e) { // close() raced with this call
            encoded.release();
            callback.onFailure(new MQException(MQException.Reason.SHUTDOWN, "client is closed"));
            return;
        }
        InFlightRequest request = new InFlightRequest(opaque, frame.isOneway(), connection, encoded, callback);
        try {
            request.timeout(timer.newTimeout(request, remaining, TimeUnit.NANOSECONDS));
            connection.send(request);
        } catch (RejectedExecutionException | IllegalStateException e) { // close() raced with this call
            request.fail(new MQException(MQException.Reason.SHUTDOWN, "client is closed"));
        }
    }

    /** Convenience for control requests: the response as a future (completed on the event loop). */
    public CompletableFuture<RemotingCommand> invoke(String address, OutboundFrame frame, Duration timeout) {
        CompletableFuture<RemotingCommand> future = new CompletableFuture<>();
        invoke(address, frame, clock.nanoTime() + timeout.toNanos(), new ResponseCallback() {
            @Override
            public void onResponse(@Nullable RemotingCommand response) {
                future.complete(response);
            }

            @Override
            public void onFailure(MQException error) {
                future.completeExceptionally(error);
            }
        });
        return future;
    }

    /** The usable connection to {@code address}, opening one if there is none. */
    private Connection connection(String address) {
        Connection connection = connections.get(address);
        if (connection != null && connection.isUsable()) {
            return connection;
        }
        Connection created = new Connection(address, group.next(), config.writeStallTimeout().toNanos());
        if (connection == null ? connections.putIfAbsent(address, created) == null
                : connections.replace(address, connection, created)) {
            open(created);
            if (closed) { // close() raced with this call and may have missed the new connection
                closeConnection(address);
            }
            return created;
        }
        return connection(address);
    }

    /** Forgets {@code connection} so that the next request to its address opens a new one. */
    void retire(Connection connection) {
        connections.remove(connection.address(), connection);
    }

    void dispatchInbound(Connection connection, RemotingCommand request) {
        try {
            callbackExecutor.execute(() -> {
                @Nullable OutboundFrame response;
                try {
                    response = inboundHandler.handle(connection.address(), request);
                } catch (RuntimeException e) {
                    log.warn("handler failed on request {} from {}", request.code(), connection.address(), e);
                    response = request.isOneway() ? null
                            : OutboundFrame.response(request.opaque(), 1, String.valueOf(e));
                }
                Channel channel = connection.channel(); // set before the first frame could arrive on it
                if (response != null && !request.isOneway() && channel != null) {
                    channel.writeAndFlush(FrameEncoder.encode(response, request.opaque(), channel.alloc()));
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("dropping request {} from {}: client is closing", request.code(), connection.address());
        }
    }

    /** The clock every deadline given to this transport is read against. */
    public Clock clock() {
        return clock;
    }

    /** Runs {@code task} on the timer wheel after {@code delay} (10 ms resolution by default). */
    public Timeout schedule(TimerTask task, long delay, TimeUnit unit) {
        return timer.newTimeout(task, delay, unit);
    }

    /**
     * Runs {@code task} periodically on an event loop. The task must not block: it runs where
     * responses are decoded.
     */
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return group.next().scheduleAtFixedRate(task, initialDelay, period, unit);
    }

    /** Whether requests are signed with ACL credentials. */
    public boolean signsRequests() {
        return signer != null;
    }

    /** Addresses with an open connection. */
    public Set<String> connectedAddresses() {
        Set<String> addresses = new TreeSet<>();
        connections.forEach((address, c) -> {
            if (c.isUsable() && c.channel() != null && c.channel().isActive()) {
                addresses.add(address);
            }
        });
        return addresses;
    }

    /** Closes the connection to {@code address}, failing what is in flight on it. */
    public void closeConnection(String address) {
        Connection connection = connections.remove(address);
        if (connection != null) {
            connection.close();
        }
    }

    /**
     * Closes every connection (failing in-flight requests with CONNECTION) and stops the host-name
     * lookups. The event loops and the timer belong to the client's resources: whoever owns those
     * shuts them down, and settles with {@link #settle} what the timer never fired.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // The event loops may be shared and outlive this client: rather than wait for them to stop, wait
        // until each connection's loop has failed what was in flight on it, so that close() still returns
        // with every request settled. Channels report their close a moment later; by then nothing is left.
        List<Future<?>> settled = new ArrayList<>();
        for (String address : connections.keySet()) {
            Connection connection = connections.remove(address);
            if (connection == null) {
                continue;
            }
            connection.close();
            if (connection.eventLoop().inEventLoop()) { // closing from its own loop: the close runs right after
                continue;
            }
            try {
                settled.add(connection.eventLoop().submit(() -> connection.closed(new MQException(
                        MQException.Reason.CONNECTION, "connection to " + address + " closed: the client closed"))));
            } catch (RejectedExecutionException e) { // the loops already stopped, and failed it on their way out
                log.debug("event loop of {} already stopped", address);
            }
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos(); // real time: this waits for the event loops
        for (Future<?> f : settled) {
            if (!f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                log.warn("the event loops did not settle the connections of a closing client within {} ms",
                        CLOSE_WAIT.toMillis());
                break;
            }
        }
        lookups.shutdownNow(); // a lookup stuck in DNS is abandoned; its connection attempt already failed
    }

    /**
     * Settles the tasks a stopped timer never fired ({@link Timer#stop()}): a request's deadline would
     * otherwise leave it (and a route wait its send) open forever. A request fails with SHUTDOWN, any
     * other task runs now, as if its time had come, and learns from its owner's state that it closed.
     */
    public static void settle(Collection<Timeout> pending) {
        for (Timeout timeout : pending) {
            if (timeout.task() instanceof InFlightRequest request) {
                request.fail(new MQException(MQException.Reason.SHUTDOWN, "client closed"));
            } else {
                try {
                    timeout.task().run(timeout);
                } catch (Exception e) {
                    log.warn("pending timer task failed during close", e);
                }
            }
        }
    }

    /** The TLS context for a new connection (asked anew each time: it may have been renewed), or null. */
    private @Nullable SslContext currentSslContext() {
        Supplier<SslContext> ssl = config.sslContext();
        if (ssl == null) {
            return null;
        }
        SslContext context = ssl.get();
        if (context == null) {
            throw new IllegalStateException("the TLS context supplier answered null");
        }
        return context;
    }

    /** Opens the channel for {@code connection} on the event loop it was assigned. */
    private void open(Connection connection) {
        HostAndPort target;
        try {
            target = HostAndPort.parse(connection.address());
        } catch (IllegalArgumentException e) {
            connectionFailed(connection, new MQException(MQException.Reason.CONNECTION, e.getMessage(), e));
            return;
        }
        SslContext tls;
        try {
            tls = currentSslContext();
        } catch (RuntimeException e) {
            connectionFailed(connection, new MQException(MQException.Reason.CONNECTION,
                    "cannot connect to " + connection.address() + ": no TLS context: " + e, e));
            return;
        }
        ChannelFuture future = bootstrap.clone(connection.eventLoop()).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ChannelPipeline p = ch.pipeline();
                if (tls != null) {
                    // The host travels into the SSLEngine: SNI, and the certificate's name check against it.
                    p.addLast("tls", tls.newHandler(ch.alloc(), target.host(), target.port()));
                }
                p.addLast("idle", new IdleWatch(config.idleTimeout().toNanos()));
                p.addLast("decoder", new FrameDecoder(connection::takesBodyBuffer));
                p.addLast("handler", new ClientChannelHandler(connection, RemotingClient.this,
                        config.sslContext() != null));
            }
        }).connect(target.host(), target.port());
        future.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                connection.opened(f.channel());
            } else {
                connectionFailed(connection, new MQException(MQException.Reason.CONNECTION,
                        "cannot connect to " + connection.address() + ": " + f.cause().getMessage(), f.cause()));
            }
        });
    }

    private void connectionFailed(Connection connection, MQException reason) {
        retire(connection);
        connection.eventLoop().execute(() -> connection.closed(reason));
    }
}
