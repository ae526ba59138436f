package dev.mq.test;

import java.util.Locale;

/**
 * How the embedded NameServer and brokers treat TLS, RocketMQ's {@code tls.server.mode}. A RocketMQ
 * server serves TLS and plaintext on the same port and tells them apart by the first byte a client
 * sends.
 */
public enum TlsMode {

    /** Plaintext only: a TLS client's connection is closed. The default here (start-up is faster). */
    DISABLED,

    /** TLS and plaintext alike (RocketMQ's own default). */
    PERMISSIVE,

    /**
     * TLS only: a plaintext client's connection is closed at its first byte. The servers present a
     * self-signed certificate they generate at start-up (RocketMQ's TLS test mode), so clients must
     * trust any certificate, unless {@link EmbeddedRocketMQ.Builder#tlsCertificate} gives them one a
     * client can verify; the brokers talk TLS to the NameServer themselves.
     */
    ENFORCING;

    /** The value of RocketMQ's {@code tls.server.mode} system property. */
    String propertyValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
