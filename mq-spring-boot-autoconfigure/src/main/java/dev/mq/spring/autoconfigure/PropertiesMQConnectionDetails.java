package dev.mq.spring.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/** {@link MQConnectionDetails} from {@code mq.name-server}. */
final class PropertiesMQConnectionDetails implements MQConnectionDetails {

    private final MQProperties properties;

    PropertiesMQConnectionDetails(MQProperties properties) {
        this.properties = properties;
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
}
