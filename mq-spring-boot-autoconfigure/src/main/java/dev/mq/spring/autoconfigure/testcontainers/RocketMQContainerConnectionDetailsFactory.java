package dev.mq.spring.autoconfigure.testcontainers;

import dev.mq.spring.autoconfigure.MQConnectionDetails;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * Lets {@code @ServiceConnection} on a {@link RocketMQContainer} supply {@link MQConnectionDetails}:
 * the NameServer address and, when the container field carries Boot's {@code @PemTrustStore} /
 * {@code @PemKeyStore} (or JKS) annotations, their SSL bundle. Registered in
 * {@code META-INF/spring.factories}, where Boot's own container factories are.
 */
class RocketMQContainerConnectionDetailsFactory
        extends ContainerConnectionDetailsFactory<RocketMQContainer, MQConnectionDetails> {

    @Override
    protected MQConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<RocketMQContainer> source) {
        return new RocketMQContainerConnectionDetails(source);
    }

    private static final class RocketMQContainerConnectionDetails
            extends ContainerConnectionDetails<RocketMQContainer> implements MQConnectionDetails {

        RocketMQContainerConnectionDetails(ContainerConnectionSource<RocketMQContainer> source) {
            super(source);
        }

        @Override
        public String getNameServer() {
            return getContainer().getNameServerAddress();
        }

        @Override
        public @Nullable SslBundle getSslBundle() {
            return super.getSslBundle();
        }
    }
}
