package dev.mq.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Picks free loopback ports, never handing out the same one twice in this JVM. */
final class FreePorts {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int LOW = 20_000;
    private static final int HIGH = 60_000;

    private FreePorts() {
    }

    static int single() {
        return find(0, 0);
    }

    /**
     * A broker port: the broker also binds {@code port - 2} (its "fast" channel) and {@code port + 1}
     * (HA), so all three must be free.
     */
    static int forBroker() {
        return find(-2, 1);
    }

    private static int find(int below, int above) {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (reserve(port, below, above)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port range found on 127.0.0.1");
    }

    private static boolean reserve(int port, int below, int above) {
        for (int p = port + below; p <= port + above; p++) {
            if (HANDED_OUT.contains(p) || !isFree(p)) {
                return false;
            }
        }
        for (int p = port + below; p <= port + above; p++) {
            HANDED_OUT.add(p);
        }
        return true;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
