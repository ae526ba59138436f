package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Host names are resolved off the event loop: a slow DNS answer for one address (a NameServer given as
 * a host name) must not stall the I/O of every other connection; a lookup slower than the connect
 * timeout fails the connection attempt; an unknown host is a CONNECTION error that names it.
 */
class HostResolutionTest {

    private final CountDownLatch dnsAnswers = new CountDownLatch(1);
    private final List<String> lookupThreads = new CopyOnWriteArrayList<>();
    private final TransportFixture fixture = new TransportFixture("dns", RemotingConfig.defaults()
            .withConnectTimeout(Duration.ofMillis(500))
            .withHostResolver(this::resolve), InboundRequestHandler.UNSUPPORTED);
    private final RemotingClient client = fixture.client;

    /** "slow.test" answers only when the test lets it (at most 10 s); "unknown.test" does not exist. */
    private InetAddress[] resolve(String host) throws UnknownHostException {
        lookupThreads.add(Thread.currentThread().getName());
        switch (host) {
            case "slow.test" -> {
                try {
                    dnsAnswers.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new InetAddress[] {InetAddress.getLoopbackAddress()};
            }
            case "unknown.test" -> throw new UnknownHostException("unknown.test: Name or service not known");
            default -> {
                return HostResolver.SYSTEM.resolve(host);
            }
        }
    }

    @AfterEach
    void close() throws InterruptedException {
        dnsAnswers.countDown();
        fixture.close();
    }

    private static OutboundFrame ping() {
        return OutboundFrame.request(105, CommandHeader.of(Map.of("n", "1")), null);
    }

    @Test
    void aSlowLookupDoesNotStallOtherConnections() throws Exception {
        try (FakeServer server = new FakeServer(FakeServer.answering(0))) {
            CompletableFuture<RemotingCommand> slow = client.invoke("slow.test:" + server.port(), ping(),
                    Duration.ofSeconds(10));
            long start = System.nanoTime();
            RemotingCommand answer = client.invoke(server.address(), ping(), Duration.ofSeconds(5))
                    .get(5, TimeUnit.SECONDS);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(answer.code()).isZero();
            assertThat(elapsedMs).as("a request to another address while DNS is slow, ms").isLessThan(400);
            assertThat(lookupThreads).noneMatch(name -> name.startsWith("mq-io-"));
            assertThat(slow).isNotDone();
        }
    }

    @Test
    void aLookupSlowerThanTheConnectTimeoutFailsTheConnectionAttempt() {
        long start = System.nanoTime();
        CompletableFuture<RemotingCommand> slow = client.invoke("slow.test:9876", ping(), Duration.ofSeconds(10));

        assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(MQException.class)
                .hasMessageContaining("slow.test").hasMessageContaining("connect timeout")
                .extracting(e -> ((MQException) e).reason()).isEqualTo(MQException.Reason.CONNECTION);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ms, for a 10 s deadline")
                .isLessThan(3_000);
    }

    @Test
    void anUnknownHostIsAConnectionErrorNamingIt() {
        assertThatThrownBy(() -> client.invoke("unknown.test:9876", ping(), Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS)).cause().isInstanceOf(MQException.class)
                .hasMessageContaining("unknown.test")
                .extracting(e -> ((MQException) e).reason()).isEqualTo(MQException.Reason.CONNECTION);
    }
}
