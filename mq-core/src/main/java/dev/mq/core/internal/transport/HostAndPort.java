package dev.mq.core.internal.transport;

/** {@code host:port}, as RocketMQ writes server addresses. */
public record HostAndPort(String host, int port) {

    /**
     * Parses {@code host:port}: a host name or IPv4 address, or an IPv6 address in brackets or as the
     * part before the last colon.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code address}
     */
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
        if (!isHost(host)) {
            throw new IllegalArgumentException("address '" + address + "' has no valid host before the port: use a "
                    + "host name or IP address, without scheme, user or path");
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

    /**
     * Letters, digits, {@code .-_} (host names, IPv4), and for IPv6 also {@code :} and a {@code %zone}.
     * Anything else (a scheme, a user, a path, spaces) cannot reach a RocketMQ server.
     */
    private static boolean isHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        boolean ipv6 = host.indexOf(':') >= 0;
        for (int i = 0, n = host.length(); i < n; i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || (ipv6 && (c == ':' || c == '%'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
