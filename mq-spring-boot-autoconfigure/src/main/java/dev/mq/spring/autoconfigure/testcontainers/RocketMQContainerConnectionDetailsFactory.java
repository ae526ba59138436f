package dev.mq.spring.autoconfigure.testcontainers;

import dev.mq.spring.autoconfigure.MQConnectionDetails;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/** Lets {@code @ServiceConnection} on a {@link RocketMQContainer} supply {@link MQConnectionDetails}. */
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
    }
}
