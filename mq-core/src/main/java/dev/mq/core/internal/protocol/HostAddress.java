package dev.mq.core.internal.protocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one address that names this host on the wire: the host part of every message id
 * ({@code UNIQ_KEY}) and of the client id brokers know the client by. Chosen once per JVM, so the
 * two always agree and interfaces are enumerated once.
 */
public final class HostAddress {

    private HostAddress() {
    }

    /** This host's address bytes (4 for IPv4, 16 for IPv6), chosen by {@link #choose} on first use. */
    public static byte[] local() {
        return Local.ADDRESS.clone();
    }

    /** This host's address as text ({@code 10.0.0.5}, or an IPv6 literal), for client ids. */
    public static String localText() {
        return Local.TEXT;
    }

    /**
     * Picks the address that identifies this host: the first public IPv4 or non-internal IPv6, in
     * interface order; else the first private non-loopback IPv4; else a loopback IPv4; else four
     * bytes of {@code nowMillis}, so that two such hosts still rarely collide.
     */
    static byte[] choose(List<InetAddress> inInterfaceOrder, long nowMillis) {
        byte[] privateV4 = null;
        byte[] loopbackV4 = null;
        for (InetAddress a : inInterfaceOrder) {
            if (a instanceof Inet4Address) {
                if (isPublic(a)) {
                    return a.getAddress();
                }
                if (a.isLoopbackAddress()) {
                    if (loopbackV4 == null) {
                        loopbackV4 = a.getAddress();
                    }
                } else if (privateV4 == null && !a.isAnyLocalAddress() && !a.isMulticastAddress()) {
                    privateV4 = a.getAddress();
                }
            } else if (a instanceof Inet6Address && isPublic(a) && !isUniqueLocal(a)) {
                return a.getAddress();
            }
        }
        if (privateV4 != null) {
            return privateV4;
        }
        if (loopbackV4 != null) {
            return loopbackV4;
        }
        int low = (int) nowMillis;
        return new byte[] {(byte) (low >>> 24), (byte) (low >>> 16), (byte) (low >>> 8), (byte) low};
    }

    private static boolean isPublic(InetAddress a) {
        return !a.isLoopbackAddress() && !a.isSiteLocalAddress() && !a.isLinkLocalAddress()
                && !a.isAnyLocalAddress() && !a.isMulticastAddress();
    }

    /** fc00::/7, which {@link InetAddress#isSiteLocalAddress()} does not cover. */
    private static boolean isUniqueLocal(InetAddress a) {
        return (a.getAddress()[0] & 0xFE) == 0xFC;
    }

    /** The addresses of the interfaces that are up, in interface order. */
    private static List<InetAddress> upInterfaceAddresses() {
        List<InetAddress> all = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp()) {
                    all.addAll(Collections.list(nif.getInetAddresses()));
                }
            }
        } catch (SocketException | RuntimeException e) {
            // No interfaces to read: choose() falls back to loopback or time bytes.
        }
        return all;
    }

    /** Lazy holder: interface enumeration is slow and only needed once a client is built. */
    private static final class Local {

        static final byte[] ADDRESS = choose(upInterfaceAddresses(), System.currentTimeMillis());
        static final String TEXT = text(ADDRESS);

        private static String text(byte[] address) {
            try {
                return InetAddress.getByAddress(address).getHostAddress();
            } catch (UnknownHostException e) { // only for a length other than 4 or 16, which choose() never gives
                throw new IllegalStateException(e);
            }
        }
    }
}
