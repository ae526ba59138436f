package dev.mq.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.test.FaultProxy.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

    /** How long a negative observation ("nothing arrived") watches before it concludes. */
    private static final Duration QUIET_WINDOW = Duration.ofMillis(300);

    private EchoServer echo;
    private FaultProxy proxy;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        proxy = FaultProxy.start("127.0.0.1:" + echo.port());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        proxy.close();
        echo.close();
    }

    @Test
    void bytesPassBothWaysIntactAndInOrder() throws IOException {
        Socket client = connect();
        byte[] payload = new byte[1 << 20];
        new Random(42).nextBytes(payload);
        Thread writer = writeInBackground(client, payload);
        byte[] back = readFully(client, payload.length);
        assertThat(back).isEqualTo(payload);
        join(writer);
        assertThat(proxy.bytesForwarded(Direction.CLIENT_TO_TARGET)).isEqualTo(payload.length);
        assertThat(proxy.bytesForwarded(Direction.TARGET_TO_CLIENT)).isEqualTo(payload.length);
        assertThat(proxy.openConnections()).isEqualTo(1);
    }

    @Test
    void stallAcceptsBytesButForwardsNothingUntilNormal() throws IOException {
        Socket client = connect();
        roundTrip(client, "before".getBytes());
        proxy.stall();
        byte[] held = "held while stalled".getBytes();
        client.getOutputStream().write(held);
        awaitTrue(() -> proxy.bytesReceived(Direction.CLIENT_TO_TARGET) == 6 + held.length, Duration.ofSeconds(5),
                "the proxy reads what the client writes during a stall");
        assertStaysTrue(() -> echo.bytesReceived() == 6, "the target receives nothing during a stall");
        assertThat(proxy.bytesForwarded(Direction.CLIENT_TO_TARGET)).isEqualTo(6);

        proxy.normal();
        assertThat(readFully(client, held.length)).isEqualTo(held);
        assertThat(echo.bytesReceived()).isEqualTo(6 + held.length);
    }

    @Test
    void latencyDelaysEachDirectionByItsOwnAmount() throws IOException {
        Socket client = connect();
        byte[] ping = "ping".getBytes();
        roundTrip(client, ping); // connection and threads warm

        proxy.latency(Duration.ofMillis(150), Duration.ZERO);
        assertThat(roundTrip(client, ping)).isBetween(Duration.ofMillis(150), Duration.ofMillis(1_150));
        proxy.latency(Duration.ZERO, Duration.ofMillis(200));
        assertThat(roundTrip(client, ping)).isBetween(Duration.ofMillis(200), Duration.ofMillis(1_200));
        proxy.latency(Duration.ofMillis(100), Duration.ofMillis(150));
        assertThat(roundTrip(client, ping)).isBetween(Duration.ofMillis(250), Duration.ofMillis(1_250));
        proxy.normal();
        assertThat(roundTrip(client, ping)).isLessThan(Duration.ofMillis(100));
    }

    @Test
    void latencyDoesNotLimitThroughput() throws IOException {
        Socket client = connect();
        proxy.latency(Duration.ofMillis(100), Duration.ZERO);
        long start = System.nanoTime();
        // 50 separate writes: a proxy that delayed them one after another would need 5 s.
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 50; i++) {
                    client.getOutputStream().write(new byte[] {(byte) i});
                    Thread.sleep(2); // separate chunks, not one coalesced write
                }
            } catch (IOException | InterruptedException ignored) {
                // the assertion below reports the shortfall
            }
        });
        writer.start();
        byte[] back = readFully(client, 50);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        join(writer);
        for (int i = 0; i < 50; i++) {
            assertThat(back[i]).isEqualTo((byte) i);
        }
        assertThat(took).isBetween(Duration.ofMillis(100), Duration.ofMillis(2_000));
    }

    @Test
    void dropThrowsAwayOneDirectionOnly() throws IOException {
        Socket client = connect();
        roundTrip(client, "ok".getBytes());

        proxy.drop(Direction.TARGET_TO_CLIENT);
        client.getOutputStream().write("lost on the way back".getBytes());
        awaitTrue(() -> echo.bytesReceived() == 2 + 20, Duration.ofSeconds(5), "requests still reach the target");
        awaitTrue(() -> proxy.bytesReceived(Direction.TARGET_TO_CLIENT) == 2 + 20, Duration.ofSeconds(5),
                "the proxy reads the target's answer");
        client.setSoTimeout((int) QUIET_WINDOW.toMillis());
        assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(proxy.bytesForwarded(Direction.TARGET_TO_CLIENT)).isEqualTo(2);

        proxy.drop(Direction.CLIENT_TO_TARGET);
        client.getOutputStream().write("never arrives".getBytes());
        awaitTrue(() -> proxy.bytesReceived(Direction.CLIENT_TO_TARGET) == 2 + 20 + 13, Duration.ofSeconds(5),
                "the proxy reads the client's bytes");
        assertStaysTrue(() -> echo.bytesReceived() == 2 + 20, "the target receives nothing");
    }

    @Test
    void resetAllAbortsEveryConnectionWithARstAndAcceptsNewOnes() throws IOException {
        Socket first = connect();
        Socket second = connect();
        roundTrip(first, "a".getBytes());
        roundTrip(second, "b".getBytes());
        awaitTrue(() -> echo.connections() == 2, Duration.ofSeconds(5), "both connections reach the target");

        assertThat(proxy.resetAll()).isEqualTo(2);

        for (Socket s : List.of(first, second)) {
            s.setSoTimeout(5_000);
            // A reset, not an orderly end of stream (read() would return -1 for a FIN).
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
        awaitTrue(() -> echo.resets() == 2, Duration.ofSeconds(5), "the target side is reset too");
        assertThat(proxy.openConnections()).isZero();

        Socket third = connect();
        assertThat(roundTrip(third, "again".getBytes())).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void unreachableTargetResetsTheClient() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try (FaultProxy toNowhere = FaultProxy.start("127.0.0.1:" + deadPort);
             Socket client = new Socket()) {
            // The reset may come so fast that it already fails the connect; otherwise the first read.
            assertThatThrownBy(() -> {
                client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), toNowhere.port()), 5_000);
                client.setSoTimeout(5_000);
                client.getInputStream().read();
            }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }

    @Test
    void orderlyCloseByTheClientIsPassedOnAndTheLinkEnds() throws IOException {
        Socket client = connect();
        roundTrip(client, "bye".getBytes());
        client.shutdownOutput();
        // The echo server closes when it sees end of stream; that close comes back as -1.
        client.setSoTimeout(5_000);
        assertThat(client.getInputStream().read()).isEqualTo(-1);
        awaitTrue(() -> proxy.openConnections() == 0, Duration.ofSeconds(5), "the link ends after both FINs");
    }

    @Test
    void closeResetsConnectionsAndLeavesNoThread() throws IOException {
        Socket a = connect();
        Socket b = connect();
        roundTrip(a, "x".getBytes());
        roundTrip(b, "y".getBytes());
        proxy.stall();
        a.getOutputStream().write("pending".getBytes()); // a writer waits on a held chunk
        String prefix = "fault-proxy-" + proxy.port() + "-";
        assertThat(proxyThreads(prefix)).hasSize(1 + 2 * 4);

        proxy.close();

        assertThat(proxyThreads(prefix)).isEmpty();
        a.setSoTimeout(5_000);
        assertThatThrownBy(() -> a.getInputStream().read()).isInstanceOf(SocketException.class);
        assertThatThrownBy(() -> {
            try (Socket late = new Socket()) {
                late.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), 1_000);
            }
        }).isInstanceOf(IOException.class);
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> proxyThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).toList();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), 5_000);
        s.setSoTimeout(5_000);
        return s;
    }

    /** Writes {@code bytes}, reads the echo and returns the round-trip time. */
    private static Duration roundTrip(Socket s, byte[] bytes) throws IOException {
        long start = System.nanoTime();
        s.getOutputStream().write(bytes);
        assertThat(readFully(s, bytes.length)).isEqualTo(bytes);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static byte[] readFully(Socket s, int n) throws IOException {
        s.setSoTimeout(5_000);
        byte[] out = new byte[n];
        InputStream in = s.getInputStream();
        int off = 0;
        while (off < n) {
            int r = in.read(out, off, n - off);
            if (r < 0) {
                throw new IOException("end of stream after " + off + " of " + n + " bytes");
            }
            off += r;
        }
        return out;
    }

    private static Thread writeInBackground(Socket s, byte[] payload) {
        Thread t = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int off = 0; off < payload.length; off += 8192) {
                    out.write(payload, off, Math.min(8192, payload.length - off));
                }
            } catch (IOException ignored) {
                // the reader reports what is missing
            }
        });
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(t.isAlive()).isFalse();
    }

    private static void awaitTrue(BooleanSupplier condition, Duration bound, String what) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound + ": " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /** Watches {@code condition} for {@link #QUIET_WINDOW}: it must hold throughout. */
    private static void assertStaysTrue(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + QUIET_WINDOW.toNanos();
        while (System.nanoTime() < end) {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("violated: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Echoes every byte back on a thread per connection; counts bytes, connections and resets. */
    private static final class EchoServer implements AutoCloseable {

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicLong received = new AtomicLong();
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger resets = new AtomicInteger();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        EchoServer() throws IOException {
            Thread acceptor = new Thread(this::acceptLoop, "echo-accept");
            threads.add(acceptor);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        long bytesReceived() {
            return received.get();
        }

        int connections() {
            return connections.get();
        }

        int resets() {
            return resets.get();
        }

        private void acceptLoop() {
            while (true) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                connections.incrementAndGet();
                accepted.add(s);
                Thread t = new Thread(() -> echo(s), "echo-" + s.getPort());
                threads.add(t);
                t.start();
            }
        }

        private void echo(Socket s) {
            byte[] buffer = new byte[16 * 1024];
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.addAndGet(n);
                    out.write(buffer, 0, n);
                }
            } catch (SocketException e) {
                if (String.valueOf(e.getMessage()).contains("reset")) {
                    resets.incrementAndGet();
                }
            } catch (IOException ignored) {
                // connection gone
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
            for (Thread t : threads) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
