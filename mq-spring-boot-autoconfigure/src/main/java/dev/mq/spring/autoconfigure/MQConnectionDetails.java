package dev.mq.spring.autoconfigure;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the RocketMQ cluster is. By default taken from {@code mq.name-server}; a service connection
 * (for example a Testcontainers {@code @ServiceConnection}) may supply it instead.
 */
public interface MQConnectionDetails extends ConnectionDetails {

    /** One NameServer address or several separated by {@code ;}. */
    String getNameServer();
}
