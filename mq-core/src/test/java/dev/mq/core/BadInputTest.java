package dev.mq.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.producer.AutoBatching;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.core.producer.QueueSelectors;
import dev.mq.core.testing.Wire;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
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

/**
 * Bad input through the public API, end to end: a real client whose NameServer and broker are
 * {@link FakeServer}s. Every case must fail with {@code VALIDATION}, with a message that names the bad
 * value (or the argument, for a null), before a single byte is written: the servers never even see a
 * connection. Async calls must return a future that has already failed.
 *
 * <p>The last test sends one valid message through the same client: the servers then see exactly its
 * route lookup and its send. Requests to one server share one FIFO connection, so anything a bad call
 * had queued would have reached the servers before it; and the servers are shown to be wired.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputTest {

    private static final String TOPIC = "BadInput";
    private static final int MAX_BODY = 4 * 1024 * 1024;

    private FakeServer broker;
    private FakeServer nameServer;
    private MQClientInstance client;
    private Producer producer;
    /** A client whose topics and groups travel as {@code tenant-abc%name}. */
    private MQClientInstance namespaced;
    private Producer namespacedProducer;

    @BeforeAll
    void start() {
        broker = new FakeServer((ctx, request) -> {
            if (!request.isOneway() && !request.isResponse()) {
                ctx.writeAndFlush(request.code() == RequestCode.SEND_MESSAGE_V2
                        ? Wire.frame(request.opaque(), 0, null, Map.of("msgId", "OFFSET-ID", "queueId",
                                request.field("e"), "queueOffset", "0"), null)
                        : FakeServer.response(request.opaque(), 0, null));
            }
        });
        nameServer = new FakeServer((ctx, request) -> ctx.writeAndFlush(
                Wire.frame(request.opaque(), 0, null, Map.of(), Wire.route("broker-a", broker.address(), 4))));
        client = MQClientInstance.builder().nameServer(nameServer.address()).build();
        client.start();
        producer = client.newProducer(ProducerConfig.builder().group("bad-input").build());
        namespaced = MQClientInstance.builder().nameServer(nameServer.address()).namespace("tenant-abc").build();
        namespaced.start();
        namespacedProducer = namespaced.newProducer(ProducerConfig.builder().group("bad-input").build());
    }

    @AfterAll
    void stop() {
        namespaced.close();
        client.close();
        broker.close();
        nameServer.close();
    }

    /** One bad call and what its message must (and must not) contain. */
    record Case(String name, Call call, List<String> expected, List<String> forbidden) {

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Call {
        Object run() throws Exception;
    }

    private static Case bad(String name, Call call, String... expected) {
        return new Case(name, call, List.of(expected), List.of());
    }

    private static Message.Builder ok() {
        return Message.builder(TOPIC).body("body");
    }

    private static ProducerConfig.Builder config() {
        return ProducerConfig.builder().group("bad-input");
    }

    private static MQClientInstance.Builder clientBuilder() {
        return MQClientInstance.builder().nameServer("127.0.0.1:9876");
    }

    Stream<Case> cases() {
        Function<Message.Builder, Call> send = b -> () -> producer.send(b.build());
        Function<String, Call> toTopic = t -> () -> producer.send(Message.builder(t).body("x").build());
        Message good = ok().build();
        return Stream.of(
                // topics
                bad("null topic", toTopic.apply(null), "topic is null"),
                bad("empty topic", toTopic.apply(""), "topic '' is blank"),
                bad("blank topic", toTopic.apply("   "), "topic '   ' is blank"),
                bad("128-character topic", toTopic.apply("t".repeat(128)), "is 128 characters long: at most 127"),
                bad("space in topic", toTopic.apply("bad topic"), "topic 'bad topic' contains illegal characters"),
                bad("non-ASCII topic", toTopic.apply("Bestellung✓"), "topic 'Bestellung✓' contains illegal"),
                bad("control character in topic", toTopic.apply("a\u0001b"), "topic 'a\\u0001b' contains illegal"),
                bad("TBW102", toTopic.apply("TBW102"), "'TBW102' is a RocketMQ system topic"),
                bad("schedule topic", toTopic.apply("SCHEDULE_TOPIC_XXXX"), "'SCHEDULE_TOPIC_XXXX' is a RocketMQ system"),
                bad("transaction half topic", toTopic.apply("RMQ_SYS_TRANS_HALF_TOPIC"), "is a RocketMQ system topic"),
                bad("rmq_sys_ prefix", toTopic.apply("rmq_sys_trace"), "'rmq_sys_trace' is a RocketMQ system topic"),
                bad("127-character topic, 138 with the namespace",
                        () -> namespacedProducer.send(Message.builder("t".repeat(127)).body("x").build()),
                        "with namespace 'tenant-abc' is 138 characters long", "at most 127"),
                bad("117-character topic, 128 with the namespace, async",
                        () -> namespacedProducer.sendAsync(Message.builder("t".repeat(117)).body("x").build()),
                        "is 128 characters long", "at most 127"),
                bad("117-character topic, 128 with the namespace, in a batch",
                        () -> namespacedProducer.send(List.of(Message.builder("t".repeat(117)).body("x").build())),
                        "is 128 characters long"),
                bad("250-character group, 261 with the namespace", () -> namespaced.newProducer(
                        config().group("g".repeat(250)).build()), "is 261 characters long", "at most 255"),
                // bodies
                bad("null body", send.apply(Message.builder(TOPIC)), "message body is null"),
                bad("empty body", send.apply(ok().body(new byte[0])), "message body is empty"),
                bad("body one byte over 4 MiB", send.apply(ok().body(new byte[MAX_BODY + 1])),
                        "message body is 4194305 bytes: at most 4194304"),
                bad("null String body", send.apply(ok().body((String) null)), "message body is null"),
                // properties, tags, keys
                bad("reserved property UNIQ_KEY", send.apply(ok().property("UNIQ_KEY", "forged")),
                        "property name 'UNIQ_KEY' is reserved"),
                bad("reserved property DELAY", send.apply(ok().property("DELAY", "3")), "'DELAY' is reserved"),
                bad("oversize property", send.apply(ok().property("big", "v".repeat(40_000))),
                        "message properties are 400", "at most 32767"),
                bad("separator in property value", send.apply(ok().property("p", "a\u0001b")),
                        "value 'a\\u0001b' of message property 'p'"),
                bad("null property value", send.apply(ok().property("p", null)), "message property 'p' has a null value"),
                bad("empty property name", send.apply(ok().property("", "v")), "message property name is empty"),
                bad("blank tags", send.apply(ok().tags(" ")), "tags ' ' is blank"),
                bad("space in key", send.apply(ok().keys("a b")), "message key 'a b' contains a space"),
                bad("null key", send.apply(ok().keys("k0", null)), "message key #1 is null"),
                // delays
                bad("negative delay level", send.apply(ok().delayLevel(-1)), "delay level -1 is negative"),
                bad("negative delivery delay", send.apply(ok().deliveryDelay(Duration.ofSeconds(-1))),
                        "delivery delay PT-1S is negative"),
                bad("delivery before the epoch", send.apply(ok().deliverAt(Instant.EPOCH.minusSeconds(1))),
                        "delivery time 1969-12-31T23:59:59Z is outside"),
                bad("two kinds of delay", send.apply(ok().delayLevel(2).deliveryDelay(Duration.ofSeconds(1))),
                        "asks for 2 kinds of delay"),
                // batches
                bad("null batch", () -> producer.send((Collection<Message>) null), "batch is null"),
                bad("empty batch", () -> producer.send(List.of()), "batch is empty"),
                bad("null in batch", () -> producer.send(Arrays.asList(good, null)), "batch message #1 is null"),
                bad("two topics in a batch", () -> producer.send(List.of(good, Message.builder("Other").body("x").build())),
                        "found 'BadInput' and 'Other'"),
                bad("delayed message in a batch", () -> producer.send(List.of(ok().delayLevel(1).build())),
                        "delayed messages cannot be sent in a batch"),
                bad("batch over the size limit", () -> producer.send(List.of(ok().body(new byte[3 << 20]).build(),
                        ok().body(new byte[3 << 20]).build())), "batch of 2 messages encodes to", "over the max message size"),
                bad("null batch, async", () -> producer.sendAsync((Collection<Message>) null), "batch is null"),
                // Producer arguments
                bad("null message", () -> producer.send((Message) null), "message is null"),
                bad("null message, async", () -> producer.sendAsync((Message) null), "message is null"),
                bad("null message, oneway", () -> {
                    producer.sendOneway(null);
                    return null;
                }, "message is null"),
                bad("null timeout", () -> producer.send(good, (Duration) null), "send timeout must be positive, got null"),
                bad("negative timeout", () -> producer.send(good, Duration.ofMillis(-5)), "got PT-0.005S"),
                bad("zero timeout, async", () -> producer.sendAsync(good, Duration.ZERO), "got PT0S"),
                bad("timeout of 300 years", () -> producer.send(good, Duration.ofDays(300 * 365)),
                        "send timeout must be at most", "got PT2628000H"),
                bad("timeout of Long.MAX_VALUE seconds, async", () -> producer.sendAsync(good,
                        Duration.ofSeconds(Long.MAX_VALUE)), "got PT2562047788015215H30M7S"),
                bad("timeout of 300 years, orderly async", () -> producer.sendAsync(good, QueueSelectors.hash(), "k",
                        Duration.ofDays(300 * 365)), "got PT2628000H"),
                bad("null selector", () -> producer.send(good, null, "key"), "queue selector is null"),
                bad("null selector, async", () -> producer.sendAsync(good, null, "key"), "queue selector is null"),
                bad("null hash key", () -> producer.send(good, QueueSelectors.hash(), null), "hash key is null"),
                bad("null hash key, async", () -> producer.sendAsync(good, QueueSelectors.hash(), null), "hash key is null"),
                bad("null hash key, oneway", () -> {
                    producer.sendOneway(good, QueueSelectors.hash(), null);
                    return null;
                }, "hash key is null"),
                bad("negative queue id selector", () -> QueueSelectors.queueId(-1), "queue id -1 is negative"),
                // Message.Builder arguments
                bad("null key array", () -> ok().keys((String[]) null), "keys must not be null"),
                bad("null key list", () -> ok().keys((List<String>) null), "keys must not be null"),
                bad("null property map", () -> ok().properties(null), "properties must not be null"),
                // ProducerConfig.Builder
                bad("null group", () -> ProducerConfig.builder().build(), "group is null"),
                bad("illegal group", () -> config().group("orders group").build(), "group 'orders group' contains illegal"),
                bad("negative send timeout", () -> config().sendTimeout(Duration.ofSeconds(-1)).build(),
                        "send timeout must be positive, got PT-1S"),
                bad("null send timeout", () -> config().sendTimeout(null).build(), "send timeout must be positive, got null"),
                bad("send timeout of 300 years", () -> config().sendTimeout(Duration.ofDays(300 * 365)).build(),
                        "send timeout must be at most", "got PT2628000H"),
                bad("shutdown timeout of 300 years", () -> config().shutdownTimeout(Duration.ofDays(300 * 365)).build(),
                        "shutdown timeout must be at most", "got PT2628000H"),
                bad("auto-batching linger of 300 years", () -> AutoBatching.linger(Duration.ofDays(300 * 365)),
                        "auto-batching linger must be at most", "got PT2628000H"),
                bad("negative shutdown timeout", () -> config().shutdownTimeout(Duration.ofSeconds(-1)).build(),
                        "shutdown timeout must not be negative, got PT-1S"),
                bad("zero in-flight cap", () -> config().maxInFlightRequests(0).build(),
                        "max in-flight requests must be positive, got 0"),
                bad("negative in-flight bytes", () -> config().maxInFlightBytes(-1).build(), "max in-flight bytes (-1)"),
                bad("negative retries", () -> config().retries(-1).build(), "retries must not be negative, got -1"),
                bad("compress level 10", () -> config().compressLevel(10).build(), "compress level must be 1..9, got 10"),
                bad("zero max message size", () -> config().maxMessageSize(0).build(),
                        "max message size must be positive, got 0"),
                bad("null hook", () -> config().hook(null), "send hook must not be null"),
                bad("null backpressure", () -> config().backpressure(null).build(), "backpressure policy must not be null"),
                // MQClientInstance.Builder
                bad("null name server", () -> MQClientInstance.builder().nameServer(null), "name server address is empty"),
                bad("empty name server", () -> MQClientInstance.builder().nameServer(""), "name server address is empty"),
                bad("name server without port", () -> MQClientInstance.builder().nameServer("localhost"),
                        "'localhost' is not host:port"),
                bad("name server with text port", () -> MQClientInstance.builder().nameServer("localhost:abc"),
                        "'localhost:abc' has no numeric port"),
                bad("name server port 70000", () -> MQClientInstance.builder().nameServer("localhost:70000"),
                        "'localhost:70000' has port out of range"),
                bad("name server URL", () -> MQClientInstance.builder().nameServer("http://ns:9876"),
                        "'http://ns:9876' has no valid host"),
                bad("space in second name server", () -> MQClientInstance.builder().nameServer("ns1:9876;ns 2:9876"),
                        "invalid name server address 'ns 2:9876'"),
                bad("only separators", () -> MQClientInstance.builder().nameServer(";;"), "';;' lists no host:port"),
                bad("no name server at all", () -> MQClientInstance.builder().build(), "no name server configured"),
                bad("negative connect timeout", () -> clientBuilder().connectTimeout(Duration.ofSeconds(-1)),
                        "connect timeout must be positive, got PT-1S"),
                bad("connect timeout of 300 years", () -> clientBuilder().connectTimeout(Duration.ofDays(300 * 365)),
                        "connect timeout must be at most 36500 days, got PT2628000H"),
                bad("heartbeat interval of 300 years",
                        () -> clientBuilder().heartbeatInterval(Duration.ofDays(300 * 365)),
                        "heartbeat interval must be at most 36500 days"),
                bad("write stall timeout of 300 years",
                        () -> clientBuilder().writeStallTimeout(Duration.ofDays(300 * 365)),
                        "write stall timeout must be at most 36500 days"),
                bad("null name server timeout", () -> clientBuilder().nameServerTimeout(null),
                        "name server timeout must be positive, got null"),
                bad("zero io threads", () -> clientBuilder().ioThreads(0), "io threads must be at least 1, got 0"),
                bad("null callback executor", () -> clientBuilder().callbackExecutor(null), "callback executor is null"),
                bad("blank instance name", () -> clientBuilder().instanceName(" "), "instance name must not be blank"),
                bad("invalid namespace", () -> clientBuilder().namespace("dev ns"), "namespace 'dev ns' is invalid"),
                bad("null access key", () -> clientBuilder().credentials(null, "sk-value"), "ACL access key is null"),
                new Case("blank access key", () -> clientBuilder().credentials(" ", "Sup3rSecretValue"),
                        List.of("ACL access key is blank"), List.of("Sup3rSecretValue")),
                bad("null secret key", () -> clientBuilder().credentials("ak", null), "ACL secret key is null"),
                bad("null producer config", () -> client.newProducer(null), "producer config is null"),
                // request-reply
                bad("request of a null message", () -> producer.request(null, Duration.ofSeconds(1)), "message is null"),
                bad("request with a null timeout", () -> producer.request(good, null),
                        "request timeout must be positive, got null"),
                bad("request with a zero timeout", () -> producer.request(good, Duration.ZERO),
                        "request timeout must be positive, got PT0S"),
                bad("request with a negative timeout", () -> producer.request(good, Duration.ofMillis(-5)),
                        "request timeout must be positive, got PT-0.005S"),
                bad("orderly request without selector", () -> producer.request(good, null, "k", Duration.ofSeconds(1)),
                        "queue selector is null"),
                bad("reply to a message that is no request", () -> producer.reply(ReceivedMessage.builder(TOPIC, "M-1",
                        new MessageQueue(TOPIC, "broker-a", 0)).cluster("DefaultCluster").build(), new byte[] {1}),
                        "message M-1 on topic 'BadInput' is not a request"),
                bad("reply with a null body", () -> producer.reply(ReceivedMessage.builder(TOPIC, "M-2",
                        new MessageQueue(TOPIC, "broker-a", 0)).cluster("DefaultCluster")
                        .requestReply("corr", "client", 1000, false).build(), (byte[]) null), "reply body is null"));
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithValidationNamingTheValueBeforeAnyIo(Case c) {
        MQException e = validationFailure(c.call());
        assertThat(e.reason()).as(c.name()).isEqualTo(MQException.Reason.VALIDATION);
        assertThat(e.getMessage()).as(c.name()).contains(c.expected());
        for (String secret : c.forbidden()) {
            assertThat(e.getMessage()).doesNotContain(secret);
        }
        assertNothingReachedTheServers();
        assertThat(producer.inFlightRequests()).isZero();
    }

    @Test
    @Order(2)
    void tableHasEnoughCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(30);
    }

    @Test
    @Order(3)
    void oneValidSendAfterAllThatIsTheOnlyTrafficTheServersEverSaw() {
        assertNothingReachedTheServers();
        assertThat(producer.send(Message.builder("ValidAfterAll").body("ok").build()).isOk()).isTrue();
        assertThat(nameServer.received()).extracting(RemotingCommand::code)
                .containsExactly(RequestCode.GET_ROUTEINFO_BY_TOPIC);
        assertThat(nameServer.received().get(0).field("topic")).isEqualTo("ValidAfterAll");
        assertThat(broker.received()).filteredOn(c -> c.code() == RequestCode.SEND_MESSAGE_V2)
                .extracting(c -> c.field("b")).containsExactly("ValidAfterAll");
    }

    private void assertNothingReachedTheServers() {
        assertThat(nameServer.channels()).as("connections to the name server").isEmpty();
        assertThat(broker.channels()).as("connections to the broker").isEmpty();
        assertThat(nameServer.received()).isEmpty();
        assertThat(broker.received()).isEmpty();
    }

    /** The VALIDATION error of {@code call}: thrown, or (async) in a future that has already failed. */
    private static MQException validationFailure(Call call) {
        Object returned;
        try {
            returned = call.run();
        } catch (MQException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected an MQException, got " + e, e);
        }
        if (returned instanceof CompletableFuture<?> future) {
            assertThat(future).as("an async call with bad input returns an already failed future").isDone();
            try {
                future.join();
            } catch (CompletionException e) {
                assertThat(e.getCause()).isInstanceOf(MQException.class);
                return (MQException) e.getCause();
            }
        }
        throw new AssertionError("expected a failure, got " + returned);
    }
}
