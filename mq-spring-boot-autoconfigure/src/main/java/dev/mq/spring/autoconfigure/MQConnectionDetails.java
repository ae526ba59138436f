package dev.mq.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * Where the RocketMQ cluster is and how to reach it: the NameServer address, the TLS material and the
 * ACL credentials. By default taken from {@code mq.name-server}, {@code mq.client.ssl.bundle} and
 * {@code mq.client.access-key}/{@code secret-key}; a bean of the application's, a service connection
 * (for example a Testcontainers {@code @ServiceConnection}) or a platform binding may supply them
 * instead, and then the properties are not read.
 */
public interface MQConnectionDetails extends ConnectionDetails {

    /** One NameServer address or several separated by {@code ;}. */
    String getNameServer();

    /**
     * The SSL bundle for every connection (NameServers and brokers), or null for none: then TLS
     * follows {@code mq.client.tls.enabled}. Its trust material verifies the servers' certificates and
     * host names; when it has a key store, the client presents its key (mutual TLS).
     */
    default @Nullable SslBundle getSslBundle() {
        return null;
    }

    /** Access key for ACL request signing, or null for unsigned requests. */
    default @Nullable String getAccessKey() {
        return null;
    }

    /** Secret key for ACL request signing, or null for unsigned requests. */
    default @Nullable String getSecretKey() {
        return null;
    }
}
