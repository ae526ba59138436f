package dev.mq.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of one target address, for fault-injection tests. Its
 * behaviour can be switched at any time, and applies at once to connections already open:
 *
 * <ul>
 *   <li>{@link #normal()} — bytes pass both ways as they come (the initial state);</li>
 *   <li>{@link #latency(Duration, Duration)} — every chunk of bytes is forwarded no earlier than the
 *       given delay after the proxy read it, per direction. Chunks keep their order, and the delay
 *       does not limit throughput: a slow link, not a narrow one;</li>
 *   <li>{@link #stall()} — the proxy keeps accepting bytes from both sides but forwards nothing, like
 *       a hung server whose kernel still acknowledges packets. What was accepted is held, in order,
 *       and forwarded once the proxy is switched back to {@link #normal()} or a latency (TCP never
 *       loses bytes, so neither does a stall);</li>
 *   <li>{@link #drop(Direction)} — bytes travelling in one direction are read and thrown away
 *       (including those not yet forwarded when the drop begins). A framed protocol cannot recover
 *       from the gap, so reset the connections before going back to normal;</li>
 *   <li>{@link #resetAll()} — every open connection is aborted with a TCP reset (RST) on both sides,
 *       as when a server crashes or a firewall kills the flow. New connections are accepted as
 *       before.</li>
 * </ul>
 *
 * <p>A failure of either side is passed on: when the target resets a connection the client sees a
 * reset too, and an orderly close (FIN) is passed on as a half-close. When the target cannot be
 * reached, the client's connection is accepted and reset at once.
 *
 * <p>Each proxied connection runs on four small daemon threads (a reader and a writer per
 * direction) named {@code fault-proxy-<port>-...}; {@link #close()} resets every connection and
 * waits for all of them to end. Bytes held by a stall or a latency live on the heap: this is a test
 * tool for modest volumes.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(mq.brokerAddress(0))) {
 *     // route the client to proxy.address() instead of the broker, then:
 *     proxy.stall();                       // requests go unanswered
 *     proxy.latency(Duration.ZERO, Duration.ofMillis(50));
 *     proxy.resetAll();                    // RST every open connection
 *     proxy.normal();
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    /** The two directions bytes travel through the proxy. */
    public enum Direction {
        /** From the client that connected to the proxy towards the target (requests). */
        CLIENT_TO_TARGET,
        /** From the target back to the client (responses). */
        TARGET_TO_CLIENT
    }

    private enum Mode { FORWARD, HOLD, DROP }

    /** What one direction does with the bytes it read; immutable, replaced as a whole. */
    private record Setting(Mode mode, long latencyNanos) {
        static final Setting NORMAL = new Setting(Mode.FORWARD, 0);
    }

    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    private static final long JOIN_MILLIS = 5_000;
    private static final int CHUNK = 64 * 1024;

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final String name;
    private final Thread acceptor;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger linkIds = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong[] received = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] forwarded = {new AtomicLong(), new AtomicLong()};
    /** Guards {@link #settings}; notified whenever they change so that waiting writers look again. */
    private final Object lock = new Object();
    private final Setting[] settings = {Setting.NORMAL, Setting.NORMAL};
    private volatile boolean closed;

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.name = "fault-proxy-" + server.getLocalPort();
        this.acceptor = newThread(this::acceptLoop, name + "-accept");
        acceptor.start();
    }

    /** Starts a proxy to {@code target} ({@code host:port}) on a free port of 127.0.0.1. */
    public static FaultProxy start(String target) {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got '" + target + "'");
        }
        return start(new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))));
    }

    /** Starts a proxy to {@code target} on a free port of 127.0.0.1. */
    public static FaultProxy start(InetSocketAddress target) {
        Objects.requireNonNull(target, "target");
        try {
            return new FaultProxy(target);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a proxy port on 127.0.0.1", e);
        }
    }

    /** {@code 127.0.0.1:port}: where clients connect instead of the target. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The address bytes are forwarded to. */
    public InetSocketAddress target() {
        return target;
    }

    /** Back to passing bytes as they come, both ways; bytes held by a stall or latency go out now, in order. */
    public void normal() {
        set(Setting.NORMAL, Setting.NORMAL);
    }

    /**
     * Delays every chunk by {@code clientToTarget} on the way to the target and by
     * {@code targetToClient} on the way back ({@link Duration#ZERO} for none).
     */
    public void latency(Duration clientToTarget, Duration targetToClient) {
        set(new Setting(Mode.FORWARD, nonNegative(clientToTarget).toNanos()),
                new Setting(Mode.FORWARD, nonNegative(targetToClient).toNanos()));
    }

    /** Accepts bytes from both sides and forwards none, until switched back. */
    public void stall() {
        set(new Setting(Mode.HOLD, 0), new Setting(Mode.HOLD, 0));
    }

    /** Throws away every byte travelling in {@code direction}; the other direction is left as it is. */
    public void drop(Direction direction) {
        synchronized (lock) {
            settings[direction.ordinal()] = new Setting(Mode.DROP, 0);
            lock.notifyAll();
        }
    }

    /**
     * Aborts every open connection with a TCP reset on both sides and returns how many there were.
     * New connections are accepted as before.
     */
    public int resetAll() {
        int reset = 0;
        for (Link link : List.copyOf(links)) {
            if (link.abort()) {
                reset++;
            }
        }
        return reset;
    }

    /** Proxied connections currently open. */
    public int openConnections() {
        return links.size();
    }

    /** Connections accepted since the proxy started. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Bytes the proxy has read travelling in {@code direction}, forwarded or not. */
    public long bytesReceived(Direction direction) {
        return received[direction.ordinal()].get();
    }

    /** Bytes the proxy has written on in {@code direction}. */
    public long bytesForwarded(Direction direction) {
        return forwarded[direction.ordinal()].get();
    }

    /** Stops accepting, resets every connection and waits for every proxy thread to end. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        join(acceptor); // no new link can appear after this
        resetAll();
        synchronized (lock) {
            lock.notifyAll();
        }
        for (Thread thread : threads) {
            join(thread);
        }
        List<String> alive = threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
        if (!alive.isEmpty()) {
            throw new IllegalStateException("proxy threads did not end within " + JOIN_MILLIS + " ms: " + alive);
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "FaultProxy[" + address() + " -> " + target.getHostString() + ":" + target.getPort()
                    + ", " + Arrays.toString(settings) + ", open=" + links.size() + "]";
        }
    }

    private void set(Setting clientToTarget, Setting targetToClient) {
        synchronized (lock) {
            settings[Direction.CLIENT_TO_TARGET.ordinal()] = clientToTarget;
            settings[Direction.TARGET_TO_CLIENT.ordinal()] = targetToClient;
            lock.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                reset(client);
                reset(upstream);
                continue;
            }
            if (closed) {
                reset(client);
                reset(upstream);
                return;
            }
            Link link = new Link(linkIds.incrementAndGet(), client, upstream);
            links.add(link);
            link.start();
        }
    }

    private Thread newThread(Runnable task, String threadName) {
        Thread thread = new Thread(task, threadName);
        thread.setDaemon(true);
        threads.removeIf(t -> t.getState() == Thread.State.TERMINATED);
        threads.add(thread);
        return thread;
    }

    private static void join(Thread thread) {
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes {@code socket} with a TCP reset rather than an orderly FIN. */
    private static void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (SocketException ignored) {
            // not connected: closing is all there is to do
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static Duration nonNegative(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("latency must be zero or positive, got " + d);
        }
        return d;
    }

    /**
     * Waits until a chunk read at {@code readAtNanos} may travel in {@code direction}: returns true to
     * forward it, false to throw it away. Throws InterruptedException when the link is aborted.
     */
    private boolean awaitTurn(Direction direction, long readAtNanos) throws InterruptedException {
        synchronized (lock) {
            while (true) {
                if (closed) {
                    throw new InterruptedException("proxy closed");
                }
                Setting setting = settings[direction.ordinal()];
                switch (setting.mode()) {
                    case DROP -> {
                        return false;
                    }
                    case HOLD -> lock.wait();
                    default -> {
                        long wait = readAtNanos + setting.latencyNanos() - System.nanoTime();
                        if (wait <= 0) {
                            return true;
                        }
                        TimeUnit.NANOSECONDS.timedWait(lock, wait);
                    }
                }
            }
        }
    }

    /** Bytes read from one side, waiting to be written to the other. */
    private record Chunk(byte[] bytes, long readAtNanos) {
        static final Chunk END = new Chunk(new byte[0], 0);
    }

    /** One proxied connection: a client socket, its target socket and the four threads between them. */
    private final class Link {

        private final Socket client;
        private final Socket upstream;
        private final List<Thread> own = new ArrayList<>();
        private final AtomicInteger pumpsRunning = new AtomicInteger(2);
        private final AtomicBoolean aborted = new AtomicBoolean();

        Link(int id, Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
            String prefix = name + "-" + id + "-";
            pipe(Direction.CLIENT_TO_TARGET, client, upstream, prefix + "c2t");
            pipe(Direction.TARGET_TO_CLIENT, upstream, client, prefix + "t2c");
        }

        private void pipe(Direction direction, Socket from, Socket to, String threadName) {
            BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
            own.add(newThread(() -> read(direction, from, queue), threadName + "-read"));
            own.add(newThread(() -> write(direction, to, queue), threadName + "-write"));
        }

        void start() {
            own.forEach(Thread::start);
        }

        private void read(Direction direction, Socket from, BlockingQueue<Chunk> queue) {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (n > 0) {
                        received[direction.ordinal()].addAndGet(n);
                        queue.add(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime()));
                    }
                }
                queue.add(Chunk.END);
            } catch (IOException e) {
                abort(); // reset by the peer, or aborted by us: either way the whole connection goes
            }
        }

        private void write(Direction direction, Socket to, BlockingQueue<Chunk> queue) {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == Chunk.END) {
                        to.shutdownOutput(); // pass the orderly close on
                        break;
                    }
                    if (awaitTurn(direction, chunk.readAtNanos())) {
                        out.write(chunk.bytes());
                        forwarded[direction.ordinal()].addAndGet(chunk.bytes().length);
                    }
                }
                if (pumpsRunning.decrementAndGet() == 0) { // both sides closed in order
                    close(client);
                    close(upstream);
                    links.remove(this);
                }
            } catch (IOException | InterruptedException e) {
                abort();
            }
        }

        /** Resets both sockets and stops this link's threads; false if it was already aborted. */
        boolean abort() {
            if (!aborted.compareAndSet(false, true)) {
                return false;
            }
            links.remove(this);
            reset(client);
            reset(upstream);
            for (Thread thread : own) {
                if (thread != Thread.currentThread()) {
                    thread.interrupt(); // writers may be waiting for a chunk or their turn
                }
            }
            return true;
        }

        private void close(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
