package dev.mq.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * {@link MQConnectionDetails} from {@code mq.name-server}, {@code mq.client.ssl.bundle} and
 * {@code mq.client.access-key}/{@code secret-key}.
 */
final class PropertiesMQConnectionDetails implements MQConnectionDetails {

    static final String SSL_BUNDLE_PROPERTY = "mq.client.ssl.bundle";

    private final MQProperties properties;
    private final @Nullable SslBundles sslBundles;

    PropertiesMQConnectionDetails(MQProperties properties, @Nullable SslBundles sslBundles) {
        this.properties = properties;
        this.sslBundles = sslBundles;
    }

    @Override
    public String getNameServer() {
        String nameServer = properties.getNameServer();
        if (nameServer == null || nameServer.isBlank()) {
            throw new InvalidConfigurationPropertyValueException("mq.name-server", nameServer,
                    "Set it to the NameServer address, for example 127.0.0.1:9876 (several separated by ';').");
        }
        return nameServer;
    }

    @Override
    public @Nullable SslBundle getSslBundle() {
        String name = sslBundleName();
        if (name == null) {
            return null;
        }
        if (sslBundles == null) {
            throw unknownBundle(name, null);
        }
        try {
            return sslBundles.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw unknownBundle(name, e);
        }
    }

    /** The bundle's name when {@code mq.client.ssl.bundle} is set, else null. */
    @Nullable String sslBundleName() {
        String name = properties.getClient().getSsl().getBundle();
        return name == null || name.isBlank() ? null : name;
    }

    @Override
    public @Nullable String getAccessKey() {
        return properties.getClient().getAccessKey();
    }

    @Override
    public @Nullable String getSecretKey() {
        return properties.getClient().getSecretKey();
    }

    private static InvalidConfigurationPropertyValueException unknownBundle(String name,
                                                                          @Nullable NoSuchSslBundleException cause) {
        InvalidConfigurationPropertyValueException e = new InvalidConfigurationPropertyValueException(
                SSL_BUNDLE_PROPERTY, name, "No SSL bundle named '" + name + "' is configured. Define it under "
                + "spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name + ".");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
