package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.SendResult;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.protocol.Compression;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.SysFlag;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.RemotingCommand;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What a send looks like on the wire: namespace, compression, oneway flag, batches, heartbeats and unregistering. */
class WireFormatTest extends FakeClusterTestBase {

    @Test
    void namespacePrefixesTopicAndGroupOnTheWireOnly() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> topic.equals("tenant1%Spaced") ? route(4, broker) : null, 0);
        MQClientInstance namespaced = MQClientInstance.builder().nameServer(ns.address()).namespace("tenant1").build();
        cluster.add(namespaced);
        namespaced.start();
        Producer producer = producer(namespaced, b -> b);

        SendResult result = producer.send(message("Spaced", "x"));

        assertThat(result.queue().topic()).isEqualTo("Spaced");
        assertThat(routeRequests(ns, "tenant1%Spaced")).isEqualTo(1);
        RemotingCommand wire = broker.sends().get(0);
        assertThat(wire.field("a")).isEqualTo("tenant1%" + GROUP);
        assertThat(wire.field("b")).isEqualTo("tenant1%Spaced");
        waitUntil(() -> !broker.received(RequestCode.HEART_BEAT).isEmpty());
        assertThat(new String(broker.received(RequestCode.HEART_BEAT).get(0).body(), StandardCharsets.UTF_8))
                .contains("\"groupName\":\"tenant1%" + GROUP + "\"");
    }

    @Test
    void clientIdAndMessageIdsNameTheSameHost() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        MQClientInstance client = client(ns.address());
        Producer producer = producer(client, b -> b);

        SendResult result = producer.send(message("Hosted", "x"));

        // UNIQ_KEY starts with the host's address in hex; the client id with the same address as text.
        byte[] host = InetAddress.getByName(client.clientId().substring(0, client.clientId().indexOf('@'))).getAddress();
        assertThat(result.messageId()).startsWith(HexFormat.of().withUpperCase().formatHex(host));
        waitUntil(() -> !broker.received(RequestCode.HEART_BEAT).isEmpty());
        assertThat(new String(broker.received(RequestCode.HEART_BEAT).get(0).body(), StandardCharsets.UTF_8))
                .contains("\"clientID\":\"" + client.clientId() + "\"");
    }

    @Test
    void largeBodiesTravelCompressedWithTheZlibFlag() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b.compressThreshold(100));
        String small = "s".repeat(99);
        String large = "compressible text ".repeat(100);

        producer.send(message("Zipped", small));
        producer.send(message("Zipped", large));

        RemotingCommand plain = broker.sends().get(0);
        RemotingCommand zipped = broker.sends().get(1);
        assertThat(bodyOf(plain)).isEqualTo(small);
        assertThat(Integer.parseInt(plain.field("f")) & SysFlag.COMPRESSED).isZero();
        assertThat(Integer.parseInt(zipped.field("f"))).isEqualTo(SysFlag.compressedZlib());
        assertThat(zipped.body().length).isLessThan(large.length() / 4);
        assertThat(new String(Compression.inflate(zipped.body()), StandardCharsets.UTF_8))
                .isEqualTo(large);
    }

    @Test
    void onewayIsWrittenOnceAsARequestExpectingAnAnswerAndHoldsCapacityUntilTheAnswer() throws Exception {
        FakeBroker a = broker("broker-a");
        FakeBroker b = broker("broker-b");
        CompletableFuture<Void> hold = new CompletableFuture<>();
        a.hold = hold;
        b.hold = hold;
        FakeServer ns = nameServer(topic -> route(2, a, b), 0);
        Producer producer = producer(client(ns.address()), c -> c);

        producer.sendOneway(message("Oneway", "x"));

        waitUntil(() -> a.sends().size() + b.sends().size() == 1);
        RemotingCommand wire = a.sends().isEmpty() ? b.sends().get(0) : a.sends().get(0);
        assertThat(wire.code()).isEqualTo(RequestCode.SEND_MESSAGE_V2);
        assertThat(wire.isOneway()).as("a broker answers it, even when its send queue is full").isFalse();
        assertThat(wire.isResponse()).isFalse();
        assertThat(producer.inFlightRequests()).as("the permit waits for the answer").isEqualTo(1);
        hold.complete(null);
        waitUntil(() -> producer.inFlightRequests() == 0);
        assertThat(a.sends().size() + b.sends().size()).isEqualTo(1);
    }

    @Test
    void batchGoesAsOneSendBatchMessage() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b);

        SendResult result = producer.send(List.of(message("Batch", "1"), message("Batch", "2"), message("Batch", "3")));
        assertThat(result.isOk()).isTrue();
        assertThat(result.messageIds()).hasSize(3).doesNotHaveDuplicates();
        assertThat(broker.server.received()).filteredOn(c -> c.code() == RequestCode.SEND_BATCH_MESSAGE).hasSize(1);
        assertThat(broker.server.received()).filteredOn(c -> c.code() == RequestCode.SEND_MESSAGE_V2).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void heartbeatNamesTheGroupAndCloseUnregisters() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        MQClientInstance client = client(ns.address());
        Producer producer = producer(client, b -> b);

        assertThat(producer.send(message("Beat", "x")).isOk()).isTrue();
        waitUntil(() -> !broker.received(RequestCode.HEART_BEAT).isEmpty());

        RemotingCommand heartbeat = broker.received(RequestCode.HEART_BEAT).get(0);
        Map<?, ?> body = JsonMapper.builder().build().readValue(heartbeat.body(), Map.class);
        assertThat(body.get("clientID")).isEqualTo(client.clientId());
        assertThat((List<Object>) body.get("producerDataSet")).containsExactly(Map.of("groupName", GROUP));
        assertThat(broker.received(RequestCode.UNREGISTER_CLIENT)).isEmpty();

        client.close();

        List<RemotingCommand> unregister = broker.received(RequestCode.UNREGISTER_CLIENT);
        assertThat(unregister).hasSize(1);
        assertThat(unregister.get(0).field("clientID")).isEqualTo(client.clientId());
        assertThat(unregister.get(0).field("producerGroup")).isEqualTo(GROUP);
    }
}
