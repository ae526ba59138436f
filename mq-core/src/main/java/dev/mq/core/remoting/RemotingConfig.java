package dev.mq.core.remoting;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * Transport settings of one {@link RemotingClient}.
 *
 * @param connectTimeout bound on establishing a TCP (and TLS) connection
 * @param idleTimeout    a connection with no traffic and nothing in flight for this long is closed;
 *                       servers close idle connections after 120 s, so this stays below that
 * @param ioThreads      event-loop threads shared by all connections of the client
 * @param sslContext     TLS for every connection, or null for plaintext
 * @param credentials    ACL credentials to sign every request with, or null
 */
public record RemotingConfig(Duration connectTimeout, Duration idleTimeout, int ioThreads, SslContext sslContext,
                             Credentials credentials) {

    public RemotingConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1");
        }
    }

    /** 3 s connect timeout, 60 s idle close, one event-loop thread, plaintext. */
    public static RemotingConfig defaults() {
        return new RemotingConfig(Duration.ofSeconds(3), Duration.ofSeconds(60), 1, null, null);
    }

    public RemotingConfig withSslContext(SslContext context) {
        return new RemotingConfig(connectTimeout, idleTimeout, ioThreads, context, credentials);
    }

    public RemotingConfig withConnectTimeout(Duration timeout) {
        return new RemotingConfig(timeout, idleTimeout, ioThreads, sslContext, credentials);
    }

    public RemotingConfig withIoThreads(int threads) {
        return new RemotingConfig(connectTimeout, idleTimeout, threads, sslContext, credentials);
    }

    public RemotingConfig withCredentials(Credentials acl) {
        return new RemotingConfig(connectTimeout, idleTimeout, ioThreads, sslContext, acl);
    }
}
