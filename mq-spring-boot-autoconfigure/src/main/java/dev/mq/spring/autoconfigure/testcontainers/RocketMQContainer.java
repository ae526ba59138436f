package dev.mq.spring.autoconfigure.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Apache RocketMQ (NameServer + one broker) in one container, for tests on machines with Docker.
 *
 * <p>A broker advertises its address through the NameServer, so a client outside the container
 * must be able to reach exactly that address. The broker therefore listens on a port chosen free on
 * the host and published under the same number, and advertises the host the container runs on. The
 * NameServer port is mapped as usual.
 *
 * <pre>{@code
 * @Container
 * @ServiceConnection
 * static RocketMQContainer rocketmq = new RocketMQContainer();
 * }</pre>
 */
public class RocketMQContainer extends GenericContainer<RocketMQContainer> {

    /** The image this container was written against. */
    public static final DockerImageName DEFAULT_IMAGE = DockerImageName.parse("apache/rocketmq:5.3.3");
    public static final int NAME_SERVER_PORT = 9876;

    private final int brokerPort = freePort();

    public RocketMQContainer() {
        this(DEFAULT_IMAGE);
    }

    public RocketMQContainer(DockerImageName image) {
        super(image);
        image.assertCompatibleWith(DEFAULT_IMAGE);
        withExposedPorts(NAME_SERVER_PORT);
        addFixedExposedPort(brokerPort, brokerPort);
        withCommand("sh", "-c", "./mqnamesrv & ./mqbroker -n 127.0.0.1:" + NAME_SERVER_PORT + " -c /tmp/broker.conf");
        waitingFor(Wait.forLogMessage(".*boot success.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
    }

    @Override
    protected void configure() {
        String config = String.join("\n",
                "brokerClusterName=DefaultCluster",
                "brokerName=broker-a",
                "brokerId=0",
                "listenPort=" + brokerPort,
                "brokerIP1=" + getHost(),
                "autoCreateTopicEnable=true",
                "waitTimeMillsInSendQueue=1000",
                "");
        withCopyToContainer(Transferable.of(config), "/tmp/broker.conf");
    }

    /** {@code host:port} of the NameServer as the test JVM reaches it. */
    public String getNameServerAddress() {
        return getHost() + ":" + getMappedPort(NAME_SERVER_PORT);
    }

    /** The broker's listen port, published under the same number on the host. */
    public int getBrokerPort() {
        return brokerPort;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
