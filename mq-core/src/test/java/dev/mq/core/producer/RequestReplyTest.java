package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.SendResult;
import dev.mq.core.client.ClientResources;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.protocol.Compression;
import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.send.DefaultProducer;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.testing.ManualClock;
import dev.mq.core.testing.ManualTimer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Request-reply against a fake broker: what a request carries, how a pushed reply (PUSH_REPLY_MESSAGE_TO_CLIENT)
 * completes it and is answered, the heartbeat that must reach the broker first, the deadline, the cap on
 * waiting requests, close, bad input, and the responder's SEND_REPLY_MESSAGE_V2.
 */
class RequestReplyTest extends FakeClusterTestBase {

    private static final String TOPIC = "Requests";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A test's own resources (a manual clock), closed after the cluster's clients that borrow them. */
    private ClientResources resources;

    @Override
    @AfterEach
    void tearDown() {
        super.tearDown();
        if (resources != null) {
            resources.close();
        }
    }

    /** The properties a request or reply carried on the wire (send header field {@code i}). */
    private static Map<String, String> properties(RemotingCommand send) {
        return MessageProperties.decode(Objects.requireNonNull(send.field("i")));
    }

    /** The header of a broker's reply push for {@code correlationId}, with {@code extra} properties. */
    private static Map<String, String> pushFields(String correlationId, String clientId, int sysFlag,
                                                  Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(extra);
        props.put(MessageProperties.MSG_TYPE, MessageProperties.REPLY_TYPE);
        props.put(MessageProperties.CORRELATION_ID, correlationId);
        props.put(MessageProperties.REPLY_TO_CLIENT, clientId);
        props.put(MessageProperties.CLUSTER, "DefaultCluster");
        props.put(MessageProperties.UNIQ_KEY, "REPLY-ID-1");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("producerGroup", "responders");
        fields.put("topic", "DefaultCluster_REPLY_TOPIC");
        fields.put("queueId", "0");
        fields.put("sysFlag", Integer.toString(sysFlag));
        fields.put("bornTimestamp", "1700000000000");
        fields.put("flag", "0");
        fields.put("properties", MessageProperties.encode(props));
        fields.put("reconsumeTimes", "0");
        fields.put("unitMode", "false");
        fields.put("bornHost", "/127.0.0.1:50000");
        fields.put("storeHost", "/127.0.0.1:10911");
        fields.put("storeTimestamp", "1700000000100");
        return fields;
    }

    private RemotingCommand awaitRequest(FakeBroker broker) throws InterruptedException {
        SendAssertions.waitUntil(() -> !broker.sends().isEmpty());
        return broker.sends().get(broker.sends().size() - 1);
    }

    @Test
    void aRequestCarriesItsCorrelationAndIsCompletedByThePushedReplyWhichIsAnsweredWithItsOpaque() throws Exception {
        FakeBroker broker = broker("broker-a");
        MQClientInstance client = client(nameServer(topic -> route(4, broker), 0).address());
        Producer producer = producer(client, b -> b);

        CompletableFuture<ReceivedMessage> reply = producer.request(message(TOPIC, "ping"), TIMEOUT);
        RemotingCommand request = awaitRequest(broker);
        Map<String, String> sent = properties(request);
        assertThat(request.code()).isEqualTo(RequestCode.SEND_MESSAGE_V2);
        assertThat(bodyOf(request)).isEqualTo("ping");
        String correlationId = sent.get(MessageProperties.CORRELATION_ID);
        assertThat(correlationId).isNotBlank();
        assertThat(sent).containsEntry(MessageProperties.REPLY_TO_CLIENT, client.clientId())
                .containsEntry(MessageProperties.TTL, "5000");
        assertThat(reply).isNotDone();

        int opaque = broker.pushReply(0, pushFields(correlationId, client.clientId(), 0, Map.of("answer", "yes")),
                "pong".getBytes(StandardCharsets.UTF_8));

        ReceivedMessage received = reply.get(5, TimeUnit.SECONDS);
        assertThat(new String(received.body(), StandardCharsets.UTF_8)).isEqualTo("pong");
        assertThat(received.isReply()).isTrue();
        assertThat(received.isRequest()).isFalse();
        assertThat(received.correlationId()).isEqualTo(correlationId);
        assertThat(received.topic()).isEqualTo("DefaultCluster_REPLY_TOPIC");
        assertThat(received.queue()).isEqualTo(new MessageQueue("DefaultCluster_REPLY_TOPIC", "broker-a", 0));
        assertThat(received.properties()).containsExactly(Map.entry("answer", "yes"));
        assertThat(received.messageId()).isEqualTo("REPLY-ID-1");
        assertThat(received.bornHost()).isEqualTo("127.0.0.1:50000");
        assertThat(received.storeHost()).isEqualTo("127.0.0.1:10911");
        assertThat(received.storeTimestamp()).isEqualTo(1700000000100L);
        SendAssertions.waitUntil(() -> broker.answerTo(opaque) != null);
        assertThat(broker.answerTo(opaque).code()).isZero();
        assertThat(((DefaultProducer) producer).pendingRequests()).isZero();
        assertThat(producer.inFlightRequests()).isZero();
    }

    @Test
    void aCompressedReplyBodyIsInflated() throws Exception {
        FakeBroker broker = broker("broker-a");
        MQClientInstance client = client(nameServer(topic -> route(4, broker), 0).address());
        Producer producer = producer(client, b -> b);
        byte[] large = "reply ".repeat(2_000).getBytes(StandardCharsets.UTF_8);

        CompletableFuture<ReceivedMessage> reply = producer.request(message(TOPIC, "ping"), TIMEOUT);
        String correlationId = properties(awaitRequest(broker)).get(MessageProperties.CORRELATION_ID);
        broker.pushReply(0, pushFields(correlationId, client.clientId(), 1, Map.of()), Compression.zlib(large, 5));

        assertThat(reply.get(5, TimeUnit.SECONDS).body()).isEqualTo(large);
    }

    @Test
    void theRequestIsWrittenOnlyOnceTheBrokerAnsweredAHeartbeatNamingTheClient() throws Exception {
        FakeBroker broker = broker("broker-a");
        broker.heartbeatDelayMs = 300; // the broker is slow to register the client
        MQClientInstance client = client(nameServer(topic -> route(4, broker), 0).address());
        Producer producer = producer(client, b -> b);

        CompletableFuture<ReceivedMessage> reply = producer.request(message(TOPIC, "ping"), TIMEOUT);
        RemotingCommand request = awaitRequest(broker);

        // Had the request gone first, the broker could have had a reply to push before it knew the client.
        assertThat(broker.sendsBeforeAnyHeartbeatAnswer).isEmpty();
        assertThat(broker.received(RequestCode.HEART_BEAT)).isNotEmpty();
        String correlationId = properties(request).get(MessageProperties.CORRELATION_ID);
        broker.pushReply(0, pushFields(correlationId, client.clientId(), 0, Map.of()), new byte[] {1});
        assertThat(reply.get(5, TimeUnit.SECONDS).body()).containsExactly(1);
    }

    @Test
    void aReplyMatchingNoPendingRequestIsAnsweredAndDropped() throws Exception {
        FakeBroker broker = broker("broker-a");
        MQClientInstance client = client(nameServer(topic -> route(4, broker), 0).address());
        Producer producer = producer(client, b -> b);
        CompletableFuture<ReceivedMessage> reply = producer.request(message(TOPIC, "ping"), TIMEOUT);
        String correlationId = properties(awaitRequest(broker)).get(MessageProperties.CORRELATION_ID);

        int stray = broker.pushReply(0, pushFields("not-" + correlationId, client.clientId(), 0, Map.of()),
                new byte[] {9});
        SendAssertions.waitUntil(() -> broker.answerTo(stray) != null);
        assertThat(broker.answerTo(stray).code()).isZero();
        assertThat(reply).isNotDone();

        broker.pushReply(0, pushFields(correlationId, client.clientId(), 0, Map.of()), new byte[] {7});
        assertThat(reply.get(5, TimeUnit.SECONDS).body()).containsExactly(7);
    }

    @Test
    void anUnreadablePushIsAnsweredWithSystemError() throws Exception {
        FakeBroker broker = broker("broker-a");
        MQClientInstance client = client(nameServer(topic -> route(4, broker), 0).address());
        Producer producer = producer(client, b -> b);
        producer.request(message(TOPIC, "ping"), TIMEOUT);
        awaitRequest(broker);

        Map<String, String> fields = pushFields("c", client.clientId(), 0, Map.of());
        fields.remove("topic");
        int opaque = broker.pushReply(0, fields, new byte[] {1});
        SendAssertions.waitUntil(() -> broker.answerTo(opaque) != null);
        assertThat(broker.answerTo(opaque).code()).isEqualTo(1);
    }

    @Test
    void waitingRequestsAreBoundedByTheInFlightCap() throws Exception {
        FakeBroker broker = broker("broker-a");
        MQClientInstance client = client(nameServer(topic -> route(4, broker), 0).address());
        Producer producer = producer(client, b -> b.maxInFlightRequests(2).backpressure(BackpressurePolicy.FAIL));

        CompletableFuture<ReceivedMessage> first = producer.request(message(TOPIC, "1"), TIMEOUT);
        CompletableFuture<ReceivedMessage> second = producer.request(message(TOPIC, "2"), TIMEOUT);
        SendAssertions.waitUntil(() -> broker.sends().size() == 2);
        SendAssertions.waitUntil(() -> producer.inFlightRequests() == 0); // both stored: only their replies are awaited

        MQException refused = SendAssertions.failure(producer.request(message(TOPIC, "3"), TIMEOUT));
        assertThat(refused.reason()).isEqualTo(MQException.Reason.BACKPRESSURE);
        assertThat(broker.sends()).hasSize(2);

        RemotingCommand firstSent = broker.sends().stream().filter(s -> bodyOf(s).equals("1")).findFirst().orElseThrow();
        String correlationId = properties(firstSent).get(MessageProperties.CORRELATION_ID);
        broker.pushReply(0, pushFields(correlationId, client.clientId(), 0, Map.of()), new byte[] {1});
        first.get(5, TimeUnit.SECONDS);
        SendAssertions.waitUntil(() -> ((DefaultProducer) producer).pendingRequests() == 1);
        CompletableFuture<ReceivedMessage> third = producer.request(message(TOPIC, "3"), TIMEOUT);
        SendAssertions.waitUntil(() -> broker.sends().size() == 3);
        assertThat(second).isNotDone();
        assertThat(third).isNotDone();
    }

    @Test
    void closeFailsWaitingRequestsWithShutdown() throws Exception {
        FakeBroker broker = broker("broker-a");
        MQClientInstance client = client(nameServer(topic -> route(4, broker), 0).address());
        Producer producer = producer(client, b -> b);
        CompletableFuture<ReceivedMessage> reply = producer.request(message(TOPIC, "ping"), Duration.ofSeconds(30));
        String correlationId = properties(awaitRequest(broker)).get(MessageProperties.CORRELATION_ID);

        long start = System.nanoTime();
        producer.close();
        assertThat(SendAssertions.failure(reply).reason()).isEqualTo(MQException.Reason.SHUTDOWN);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000); // not at its deadline

        // The reply that comes afterwards finds nobody and is still answered.
        int late = broker.pushReply(0, pushFields(correlationId, client.clientId(), 0, Map.of()), new byte[] {1});
        SendAssertions.waitUntil(() -> broker.answerTo(late) != null);
        assertThat(broker.answerTo(late).code()).isZero();
        assertThat(SendAssertions.failure(producer.request(message(TOPIC, "x"), TIMEOUT)).reason())
                .isEqualTo(MQException.Reason.SHUTDOWN);
    }

    @Test
    void badInputFailsWithValidationBeforeAnyIo() throws Exception {
        FakeServer nameServer = nameServer(topic -> null, 0);
        Producer producer = producer(client(nameServer.address()), b -> b);

        for (CompletableFuture<ReceivedMessage> bad : java.util.List.of(
                producer.request(null, TIMEOUT),
                producer.request(message(TOPIC, "x"), null),
                producer.request(message(TOPIC, "x"), Duration.ZERO),
                producer.request(message(TOPIC, "x"), Duration.ofMillis(-1)),
                producer.request(message(TOPIC, "x"), null, null, TIMEOUT))) {
            assertThat(SendAssertions.failure(bad).reason()).isEqualTo(MQException.Reason.VALIDATION);
        }
        assertThat(nameServer.received()).isEmpty();
        assertThat(((DefaultProducer) producer).pendingRequests()).isZero();
    }

    @Test
    void aReplyIsSentAsSendReplyMessageToTheClustersReplyTopicWithTheRequestsFields() throws Exception {
        FakeBroker broker = broker("broker-a");
        Producer producer = producer(client(nameServer(topic -> route(1, broker), 0).address()), b -> b);
        ReceivedMessage request = ReceivedMessage.builder(TOPIC, "REQ-1", new MessageQueue(TOPIC, "broker-a", 0))
                .cluster("DefaultCluster").requestReply("corr-1", "10.0.0.1@requester", 3000, false)
                .body(new byte[] {1}).build();
        assertThat(request.isRequest()).isTrue();

        SendResult result = producer.reply(request, Message.builder("ignored").body("pong").tags("t")
                .property("k", "v").build()).get(5, TimeUnit.SECONDS);

        assertThat(result.isOk()).isTrue();
        RemotingCommand reply = broker.sends().get(0);
        assertThat(reply.code()).isEqualTo(RequestCode.SEND_REPLY_MESSAGE_V2);
        assertThat(reply.field("b")).isEqualTo("DefaultCluster_REPLY_TOPIC");
        assertThat(bodyOf(reply)).isEqualTo("pong");
        assertThat(properties(reply)).containsEntry(MessageProperties.MSG_TYPE, "reply")
                .containsEntry(MessageProperties.CORRELATION_ID, "corr-1")
                .containsEntry(MessageProperties.REPLY_TO_CLIENT, "10.0.0.1@requester")
                .containsEntry(MessageProperties.TTL, "3000")
                .containsEntry(MessageProperties.TAGS, "t")
                .containsEntry("k", "v");

        producer.reply(request, "bytes".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        assertThat(bodyOf(broker.sends().get(1))).isEqualTo("bytes");
        assertThat(broker.sends().get(1).field("b")).isEqualTo("DefaultCluster_REPLY_TOPIC");
    }

    @Test
    void replyingToAMessageThatIsNoRequestFailsWithValidationBeforeAnyIo() throws Exception {
        FakeServer nameServer = nameServer(topic -> null, 0);
        Producer producer = producer(client(nameServer.address()), b -> b);
        MessageQueue queue = new MessageQueue(TOPIC, "broker-a", 0);
        ReceivedMessage plain = ReceivedMessage.builder(TOPIC, "M-1", queue).cluster("DefaultCluster").build();
        ReceivedMessage reply = ReceivedMessage.builder(TOPIC, "M-2", queue).cluster("DefaultCluster")
                .requestReply("corr", "client", 1000, true).build();
        ReceivedMessage noCluster = ReceivedMessage.builder(TOPIC, "M-3", queue)
                .requestReply("corr", "client", 1000, false).build();

        for (ReceivedMessage notARequest : java.util.List.of(plain, reply, noCluster)) {
            assertThat(SendAssertions.failure(producer.reply(notARequest, new byte[] {1})).reason())
                    .isEqualTo(MQException.Reason.VALIDATION);
        }
        assertThat(SendAssertions.failure(producer.reply(null, new byte[] {1})).reason())
                .isEqualTo(MQException.Reason.VALIDATION);
        assertThat(nameServer.received()).isEmpty();
    }

    /** The deadline on a manual clock: pending one tick before it, TIMEOUT at it, a later reply dropped. */
    @Test
    void aRequestWithoutReplyFailsWithTimeoutExactlyAtItsDeadlineCountedFromTheCall() throws Exception {
        ManualClock clock = new ManualClock();
        ManualTimer timer = new ManualTimer(clock);
        resources = ClientResources.builder().name("request-deadline").clock(clock).timer(timer)
                .callbackExecutor(Runnable::run).build();
        FakeBroker broker = broker("broker-a");
        CompletableFuture<Void> routeGate = new CompletableFuture<>();
        FakeServer nameServer = nameServer(topic -> route(4, broker), 0, routeGate);
        MQClientInstance client = cluster.add(MQClientInstance.builder()
                .nameServer(nameServer.address()).nameServerTimeout(Duration.ofSeconds(10)).resources(resources).build());
        client.start();
        Producer producer = producer(client, b -> b);

        CompletableFuture<ReceivedMessage> reply = producer.request(message(TOPIC, "ping"), Duration.ofSeconds(1));
        SendAssertions.waitUntil(() -> nameServer.received().size() == 1);
        timer.advance(Duration.ofMillis(600)); // the route lookup takes 600 ms of the request's second
        routeGate.complete(null);
        String correlationId = properties(awaitRequest(broker)).get(MessageProperties.CORRELATION_ID);
        SendAssertions.waitUntil(() -> producer.inFlightRequests() == 0); // stored; the send's timer is gone

        timer.advance(Duration.ofMillis(399));
        assertThat(reply).isNotDone();
        timer.advance(Duration.ofMillis(1));
        MQException error = SendAssertions.failure(reply);
        assertThat(error.reason()).isEqualTo(MQException.Reason.TIMEOUT);
        assertThat(error).hasMessageContaining(correlationId).hasMessageContaining("1000 ms");
        assertThat(((DefaultProducer) producer).pendingRequests()).isZero();

        int late = broker.pushReply(0, pushFields(correlationId, client.clientId(), 0, Map.of()), new byte[] {1});
        SendAssertions.waitUntil(() -> broker.answerTo(late) != null);
        assertThat(broker.answerTo(late).code()).isZero();
        assertThat(SendAssertions.failure(reply).reason()).isEqualTo(MQException.Reason.TIMEOUT);
    }
}
