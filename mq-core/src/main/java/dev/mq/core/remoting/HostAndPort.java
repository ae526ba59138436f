package dev.mq.core.remoting;

/** {@code host:port}, as RocketMQ writes server addresses. */
public record HostAndPort(String host, int port) {

    /** Parses {@code host:port} (IPv6 hosts in brackets or as the part before the last colon). */
    public static HostAndPort parse(String address) {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        String trimmed = address.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException("address '" + address + "' is not host:port");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address '" + address + "' has no numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("address '" + address + "' has port out of range 1-65535");
        }
        return new HostAndPort(host, port);
    }
}
