package dev.mq.spring.autoconfigure;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * The client's TLS context: from an SSL bundle, from the JVM's default trust store, or (the explicit
 * test switch) trusting anything. Holds the current one, so that a reloaded bundle replaces it for
 * the connections opened afterwards; the client asks for it once per new connection, on its event
 * loop, which is why this is a plain reference read.
 */
final class MQSslContexts implements Supplier<SslContext> {

    private static final Logger log = LoggerFactory.getLogger(MQSslContexts.class);

    /** The JDK's name for RFC 2818 host name checking, which Netty hands to each SSLEngine it creates. */
    static final String HOST_NAME_VERIFICATION = "HTTPS";

    private final AtomicReference<SslContext> current;

    private MQSslContexts(SslContext initial) {
        this.current = new AtomicReference<>(initial);
    }

    /**
     * TLS as the settings say, or null for plaintext: a bundle wins; else {@code mq.client.tls.enabled}
     * with the JVM's trust store, or with any certificate accepted under {@code trust-all}.
     */
    static @Nullable MQSslContexts of(@Nullable SslBundle bundle, MQProperties.Tls tls) {
        if (bundle != null) {
            if (tls.isTrustAll()) {
                throw new IllegalStateException("mq.client.tls.trust-all=true cannot be combined with an SSL bundle "
                        + "(mq.client.ssl.bundle or the connection details' bundle): the bundle's trust material "
                        + "would be ignored. Remove one of them.");
            }
            return new MQSslContexts(fromBundle(bundle));
        }
        if (!tls.isEnabled()) {
            return null;
        }
        if (tls.isTrustAll()) {
            log.warn("mq.client.tls.trust-all=true: this client accepts ANY server certificate and host name, so "
                    + "anyone on the network path can impersonate the cluster. Use it only against test clusters; "
                    + "configure an SSL bundle (mq.client.ssl.bundle) for anything else.");
            return new MQSslContexts(build(SslContextBuilder.forClient()
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .endpointIdentificationAlgorithm(null)));
        }
        return new MQSslContexts(build(SslContextBuilder.forClient()
                .endpointIdentificationAlgorithm(HOST_NAME_VERIFICATION)));
    }

    /** Replaces the context with one from the reloaded bundle; a bundle that fails keeps the old one. */
    void reload(SslBundle bundle) {
        try {
            current.set(fromBundle(bundle));
            log.info("SSL bundle reloaded: new connections of the mq client use its new certificates");
        } catch (RuntimeException e) {
            log.error("SSL bundle reloaded, but it cannot be used; new connections keep the previous certificates", e);
        }
    }

    @Override
    public SslContext get() {
        return current.get();
    }

    static SslContext fromBundle(SslBundle bundle) {
        SslManagerBundle managers = bundle.getManagers();
        // Set explicitly rather than relying on Netty's default, which a JVM-wide system property can turn off.
        SslContextBuilder builder = SslContextBuilder.forClient()
                .endpointIdentificationAlgorithm(HOST_NAME_VERIFICATION)
                .trustManager(managers.getTrustManagerFactory());
        if (bundle.getStores().getKeyStore() != null) {
            builder.keyManager(managers.getKeyManagerFactory()); // presented when the server asks: mutual TLS
        }
        SslOptions options = bundle.getOptions();
        if (options.getCiphers() != null) {
            builder.ciphers(Arrays.asList(options.getCiphers()));
        }
        if (options.getEnabledProtocols() != null) {
            builder.protocols(options.getEnabledProtocols());
        }
        return build(builder);
    }

    private static SslContext build(SslContextBuilder builder) {
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot create the mq client's TLS context: " + e.getMessage(), e);
        }
    }
}
