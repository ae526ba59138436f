package dev.mq.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.producer.ProducerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.messaging.support.MessageBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bad destinations, payloads and arguments through {@link MQTemplate} backed by a real producer
 * whose NameServer is a listener that counts connections and bytes: every case must fail with
 * VALIDATION naming the bad value, before anything reaches the network. The last test is the control:
 * a valid send does reach the listener.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MQTemplateBadInputTest {

    private CountingListener nameServer;
    private MQClientInstance client;
    private MQTemplate template;

    @BeforeAll
    void start() throws IOException {
        nameServer = new CountingListener();
        client = MQClientInstance.builder().nameServer(nameServer.address()).build();
        client.start();
        template = new MQTemplate(client.newProducer(ProducerConfig.builder().group("template-bad-input").build()),
                new JacksonPayloadConverter(JsonMapper.shared()));
    }

    @AfterAll
    void stop() throws IOException {
        client.close();
        nameServer.close();
    }

    record Case(String name, Call call, String expected) {

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Call {
        Object run();
    }

    Stream<Case> cases() {
        return Stream.of(
                new Case("null destination", () -> template.syncSend(null, "x"), "destination must not be empty"),
                new Case("empty destination", () -> template.syncSend("", "x"), "destination must not be empty"),
                new Case("blank destination", () -> template.syncSend("   ", "x"), "destination must not be empty"),
                new Case("topic with trailing colon", () -> template.syncSend("Orders:", "x"),
                        "malformed destination 'Orders:'"),
                new Case("tags without topic", () -> template.syncSend(":created", "x"),
                        "malformed destination ':created'"),
                new Case("two colons", () -> template.syncSend("Orders:a:b", "x"), "malformed destination 'Orders:a:b'"),
                new Case("space in topic", () -> template.syncSend("Order s:created", "x"),
                        "topic 'Order s' contains illegal characters"),
                new Case("system topic", () -> template.syncSend("TBW102", "x"), "'TBW102' is a RocketMQ system topic"),
                new Case("128-character topic", () -> template.syncSend("t".repeat(128) + ":tag", "x"),
                        "is 128 characters long"),
                new Case("blank tags", () -> template.syncSend("Orders: ", "x"), "tags ' ' is blank"),
                new Case("null payload", () -> template.syncSend("Orders", (Object) null),
                        "payload must not be null (destination 'Orders')"),
                new Case("empty byte payload", () -> template.syncSend("Orders", new byte[0]), "message body is empty"),
                new Case("null hash key", () -> template.syncSendOrderly("Orders", "x", null), "hash key is null"),
                new Case("negative delay", () -> template.syncSendDelayed("Orders", "x", Duration.ofSeconds(-1)),
                        "delay must be zero or positive, got PT-1S"),
                new Case("null delay", () -> template.syncSendDelayed("Orders", "x", null),
                        "delay must be zero or positive, got null"),
                new Case("null deliverAt", () -> template.syncSendAt("Orders", "x", null), "deliverAt is null"),
                new Case("deliverAt before the epoch", () -> template.syncSendAt("Orders", "x",
                        Instant.EPOCH.minusSeconds(1)), "delivery time 1969-12-31T23:59:59Z is outside"),
                new Case("negative timeout", () -> template.syncSend("Orders", "x", Duration.ofMillis(-5)),
                        "send timeout must be positive, got PT-0.005S"),
                new Case("timeout of 300 years", () -> template.syncSend("Orders", "x", Duration.ofDays(300 * 365)),
                        "send timeout must be at most 36500 days, got PT2628000H"),
                new Case("async with a timeout of 300 years", () -> template.asyncSend("Orders", "x",
                        Duration.ofDays(300 * 365)), "got PT2628000H"),
                new Case("DELAY header not a number", () -> template.syncSend("Orders",
                        MessageBuilder.withPayload("x").setHeader(MQTemplate.DELAY, "soon").build()),
                        "header DELAY must be a delay level number, got 'soon'"),
                new Case("negative DELAY header", () -> template.syncSend("Orders",
                        MessageBuilder.withPayload("x").setHeader(MQTemplate.DELAY, -2).build()), "delay level -2"),
                new Case("TAGS header against destination tags", () -> template.syncSend("Orders:one",
                        MessageBuilder.withPayload("x").setHeader(MQTemplate.TAGS, "two").build()),
                        "header TAGS 'two' name different tags"),
                new Case("reserved header", () -> template.syncSend("Orders",
                        MessageBuilder.withPayload("x").setHeader("UNIQ_KEY", "forged").build()),
                        "property name 'UNIQ_KEY' is reserved"),
                new Case("key with a space in a collection", () -> template.syncSend("Orders",
                        MessageBuilder.withPayload("x").setHeader(MQTemplate.KEYS, List.of("a b")).build()),
                        "message key 'a b' contains a space"),
                new Case("null batch", () -> template.syncSend("Orders", (java.util.Collection<?>) null),
                        "a batch needs at least one payload"),
                new Case("empty batch", () -> template.syncSend("Orders", List.of()), "a batch needs at least one payload"),
                new Case("null in batch", () -> template.syncSend("Orders", java.util.Arrays.asList("a", null)),
                        "payload must not be null"),
                new Case("async to a malformed destination", () -> template.asyncSend("Orders:", "x"),
                        "malformed destination 'Orders:'"),
                new Case("async with a null hash key", () -> template.asyncSendOrderly("Orders", "x", null),
                        "hash key is null"),
                new Case("async with a null deliverAt", () -> template.asyncSendAt("Orders", "x", null),
                        "deliverAt is null"),
                new Case("async with a negative delay", () -> template.asyncSendDelayed("Orders", "x",
                        Duration.ofSeconds(-1)), "got PT-1S"),
                new Case("async empty batch", () -> template.asyncSend("Orders", List.of()),
                        "a batch needs at least one payload"),
                new Case("oneway to a malformed destination", () -> {
                    template.sendOneWay(":x", "x");
                    return null;
                }, "malformed destination ':x'"),
                new Case("oneway with a null hash key", () -> {
                    template.sendOneWayOrderly("Orders", "x", null);
                    return null;
                }, "hash key is null"));
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithValidationNamingTheValueBeforeAnyIo(Case c) {
        MQException e = validationFailure(c.call());
        assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION);
        assertThat(e.getMessage()).contains(c.expected());
        assertThat(nameServer.connections.get()).as("connections to the name server").isZero();
    }

    @Test
    @Order(2)
    void tableHasEnoughCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(30);
    }

    @Test
    @Order(3)
    void aValidSendDoesReachTheNameServer() throws InterruptedException {
        assertThat(nameServer.connections.get()).isZero();
        MQException e = validationOrOther(() -> template.syncSend("Orders:created", "valid", Duration.ofMillis(300)));
        assertThat(e.reason()).isEqualTo(MQException.Reason.TIMEOUT); // the listener never answers
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (nameServer.bytes.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(nameServer.connections.get()).isEqualTo(1);
        assertThat(nameServer.bytes.get()).isPositive();
    }

    private static MQException validationFailure(Call call) {
        MQException e = validationOrOther(call);
        assertThat(e).isNotNull();
        return e;
    }

    /** The MQException of {@code call}: thrown, or in a returned future that has already failed. */
    private static MQException validationOrOther(Call call) {
        Object returned;
        try {
            returned = call.run();
        } catch (MQException e) {
            return e;
        }
        if (returned instanceof CompletableFuture<?> future) {
            assertThat(future).as("an async call with bad input returns an already failed future").isDone();
            try {
                future.join();
            } catch (CompletionException e) {
                return (MQException) e.getCause();
            }
        }
        throw new AssertionError("expected a failure, got " + returned);
    }

    /** Accepts connections, reads and counts what arrives, never answers. */
    private static final class CountingListener implements AutoCloseable {

        final AtomicInteger connections = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor = new Thread(this::acceptLoop, "counting-listener");

        CountingListener() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    accepted.add(s);
                    Thread reader = new Thread(() -> read(s), "counting-listener-reader");
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void read(Socket s) {
            byte[] buffer = new byte[4096];
            try (InputStream in = s.getInputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    bytes.addAndGet(n);
                }
            } catch (IOException closed) {
                // the client or close() ended it
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
