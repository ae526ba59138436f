package dev.mq.core.internal.transport;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Transport settings of one {@link RemotingClient}.
 *
 * @param connectTimeout bound on establishing a TCP (and TLS) connection
 * @param idleTimeout    a connection with no traffic and nothing in flight for this long is closed;
 *                       servers close idle connections after 120 s, so this stays below that
 * @param sslContext     the TLS context of each new connection, or null for plaintext; asked once per
 *                       connection, on its event loop, so it must answer at once (a reloaded context
 *                       then applies to the connections opened after the reload)
 * @param credentials    ACL credentials to sign every request with, or null
 * @param writeStallTimeout a connection whose server reads none of the bytes waiting for it for this
 *                       long is closed, failing its requests with CONNECTION
 * @param hostResolver   resolves the host names of addresses, off the event loop
 */
public record RemotingConfig(Duration connectTimeout, Duration idleTimeout, @Nullable Supplier<SslContext> sslContext,
                             @Nullable Credentials credentials, Duration writeStallTimeout, HostResolver hostResolver) {

    public RemotingConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(writeStallTimeout, "writeStallTimeout");
        Objects.requireNonNull(hostResolver, "hostResolver");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        if (writeStallTimeout.isNegative() || writeStallTimeout.isZero()) {
            throw new IllegalArgumentException("writeStallTimeout must be positive");
        }
    }

    /**
     * 3 s connect timeout, 60 s idle close, plaintext, 5 s write-stall timeout, the
     * JDK's resolver.
     */
    public static RemotingConfig defaults() {
        return new RemotingConfig(Duration.ofSeconds(3), Duration.ofSeconds(60), null, null, Duration.ofSeconds(5),
                HostResolver.SYSTEM);
    }

    public RemotingConfig withSslContext(@Nullable SslContext context) {
        return withSslContext(context == null ? null : () -> context);
    }

    public RemotingConfig withSslContext(@Nullable Supplier<SslContext> context) {
        return new RemotingConfig(connectTimeout, idleTimeout, context, credentials, writeStallTimeout, hostResolver);
    }

    public RemotingConfig withConnectTimeout(Duration timeout) {
        return new RemotingConfig(timeout, idleTimeout, sslContext, credentials, writeStallTimeout, hostResolver);
    }

    public RemotingConfig withCredentials(@Nullable Credentials acl) {
        return new RemotingConfig(connectTimeout, idleTimeout, sslContext, acl, writeStallTimeout, hostResolver);
    }

    public RemotingConfig withHostResolver(HostResolver resolver) {
        return new RemotingConfig(connectTimeout, idleTimeout, sslContext, credentials, writeStallTimeout,
                resolver);
    }

    public RemotingConfig withWriteStallTimeout(Duration timeout) {
        return new RemotingConfig(connectTimeout, idleTimeout, sslContext, credentials, timeout, hostResolver);
    }
}
