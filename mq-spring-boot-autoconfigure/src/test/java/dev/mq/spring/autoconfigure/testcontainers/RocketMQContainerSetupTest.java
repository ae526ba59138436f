package dev.mq.spring.autoconfigure.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** What can be checked of the container support without Docker. */
class RocketMQContainerSetupTest {

    @Test
    void connectionDetailsFactoryIsRegisteredForServiceConnections() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ConnectionDetailsFactory.class,
                SpringFactoriesLoader.FailureHandler.logging(org.apache.commons.logging.LogFactory.getLog(getClass()))))
                .hasAtLeastOneElementOfType(RocketMQContainerConnectionDetailsFactory.class);
    }

    @Test
    void brokerPortIsPublishedUnderItsOwnNumberSoTheAdvertisedAddressIsReachable() {
        try (RocketMQContainer container = new RocketMQContainer()) {
            assertThat(container.getExposedPorts()).contains(RocketMQContainer.NAME_SERVER_PORT);
            assertThat(container.getPortBindings()).contains(container.getBrokerPort() + ":" + container.getBrokerPort() + "/tcp");
            assertThat(String.join(" ", container.getCommandParts())).contains("mqnamesrv", "mqbroker", "/tmp/broker.conf");
        }
    }
}
