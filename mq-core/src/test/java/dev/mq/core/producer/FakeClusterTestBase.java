package dev.mq.core.producer;

import static dev.mq.core.producer.SendAssertions.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.RemotingCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * The producer against fake servers: a real {@link MQClientInstance} talks to a {@link FakeServer}
 * playing the NameServer and others playing brokers, so every behaviour is observed on the wire. The
 * fixture the producer behaviour tests share.
 */
abstract class FakeClusterTestBase {

    static final String GROUP = "pg-behaviour";
    static final String IO_THREAD_PREFIX = "mq-io-";
    static final int GET_ROUTE = RequestCode.GET_ROUTEINFO_BY_TOPIC;

    final FakeCluster cluster = new FakeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    static void assertShutdown(Producer producer) throws Exception {
        assertThatThrownBy(() -> producer.send(message("Closing", "after")))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.SHUTDOWN));
        assertThat(failure(producer.sendAsync(message("Closing", "after"))).reason())
                .isEqualTo(MQException.Reason.SHUTDOWN);
        assertThatThrownBy(() -> producer.sendOneway(message("Closing", "after")))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.SHUTDOWN));
    }

    MQClientInstance client(String nameServers) {
        return cluster.client(nameServers);
    }

    static Producer producer(MQClientInstance client, UnaryOperator<ProducerConfig.Builder> config) {
        return FakeCluster.producer(client, GROUP, config);
    }

    static Message message(String topic, String body) {
        return Message.builder(topic).body(body).build();
    }

    static String bodyOf(RemotingCommand send) {
        return new String(send.body(), StandardCharsets.UTF_8);
    }

    static long routeRequests(FakeServer ns, String topic) {
        return ns.received().stream().filter(c -> c.code() == GET_ROUTE && topic.equals(c.field("topic"))).count();
    }


    FakeServer nameServer(Function<String, byte[]> routes, long delayMs) {
        return cluster.nameServer(routes, delayMs);
    }

    FakeServer nameServer(Function<String, byte[]> routes, long delayMs, CompletableFuture<Void> gate) {
        return cluster.nameServer(routes, delayMs, gate);
    }

    FakeBroker broker(String name) {
        return cluster.broker(name);
    }

    FakeBroker broker(String name, Function<RemotingCommand, Integer> sendCode) {
        return cluster.broker(name, sendCode);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Records every hook call, its thread, and a compact event log. */
    static final class RecordingHook implements SendHook {

        final List<String> events = new CopyOnWriteArrayList<>();
        final List<SendContext> before = new CopyOnWriteArrayList<>();
        final List<SendContext> after = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void beforeSend(SendContext context) {
            threads.add(Thread.currentThread().getName());
            before.add(context);
            events.add("before " + context.attempt());
        }

        @Override
        public void afterSend(SendContext context) {
            threads.add(Thread.currentThread().getName());
            after.add(context);
            events.add("after " + context.attempt());
        }
    }
}
