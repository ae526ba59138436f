package dev.mq.core.producer;

import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.testing.Wire;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Fake NameServers and brokers for client tests, closed together. Each is a {@link FakeServer}
 * speaking the real wire format, so the producer is observed on the wire.
 */
public final class FakeCluster implements AutoCloseable {

    // Thread-safe: a server's behaviour may add to the cluster from its event loop while a test closes it.
    private final List<FakeServer> servers = new CopyOnWriteArrayList<>();
    private final List<MQClientInstance> clients = new CopyOnWriteArrayList<>();

    /** A started client of {@code nameServers}, closed with the cluster (before its servers). */
    public MQClientInstance client(String nameServers) {
        MQClientInstance client = add(MQClientInstance.builder().nameServer(nameServers).build());
        client.start();
        return client;
    }

    /** Closes {@code client} with the cluster. */
    MQClientInstance add(MQClientInstance client) {
        clients.add(client);
        return client;
    }

    /** A producer of {@code group} on {@code client}, with a 1 s shutdown timeout and {@code config}. */
    static Producer producer(MQClientInstance client, String group, UnaryOperator<ProducerConfig.Builder> config) {
        return client.newProducer(config.apply(ProducerConfig.builder().group(group)
                .shutdownTimeout(Duration.ofSeconds(1))).build());
    }

    /** Closes {@code server} with the cluster. */
    <T extends FakeServer> T add(T server) {
        servers.add(server);
        return server;
    }

    /**
     * A fake NameServer: answers GET_ROUTEINFO_BY_TOPIC with {@code routes.apply(topic)} as the
     * body, or TOPIC_NOT_EXIST (17) when that is null, after {@code delayMs}.
     */
    public FakeServer nameServer(Function<String, byte[]> routes, long delayMs) {
        return nameServer(routes, delayMs, CompletableFuture.completedFuture(null));
    }

    /** As above, but no answer leaves before {@code gate} completes. */
    FakeServer nameServer(Function<String, byte[]> routes, long delayMs, CompletableFuture<Void> gate) {
        return add(new FakeServer((ctx, request) -> {
            if (request.isResponse() || request.isOneway()) {
                return;
            }
            ByteBuf answer;
            if (request.code() == RequestCode.GET_ROUTEINFO_BY_TOPIC) {
                String topic = request.field("topic");
                byte[] body = routes.apply(topic);
                answer = body == null
                        ? Wire.frame(request.opaque(), 17, "No topic route info in name server for the topic: " + topic,
                                Map.of(), null)
                        : Wire.frame(request.opaque(), 0, null, Map.of(), body);
            } else {
                answer = FakeServer.response(request.opaque(), 3, "not supported");
            }
            gate.thenRun(() -> {
                if (delayMs > 0) {
                    ctx.executor().schedule(() -> ctx.writeAndFlush(answer), delayMs, TimeUnit.MILLISECONDS);
                } else {
                    ctx.writeAndFlush(answer);
                }
            });
        }));
    }

    /** A fake broker that stores every send. */
    public FakeBroker broker(String name) {
        return broker(name, request -> 0);
    }

    /** A fake broker answering sends with {@code sendCode.apply(request)} (null: no answer). */
    FakeBroker broker(String name, Function<dev.mq.core.internal.transport.RemotingCommand, Integer> sendCode) {
        FakeBroker broker = new FakeBroker(name, sendCode);
        add(broker.server);
        return broker;
    }

    @Override
    public void close() {
        clients.forEach(MQClientInstance::close);
        servers.forEach(FakeServer::close);
    }

    /** A route body: every broker a master with {@code queues} read/write queues (see {@link Wire#route}). */
    public static byte[] route(int queues, FakeBroker... brokers) {
        Map<String, String> masters = new LinkedHashMap<>();
        for (FakeBroker broker : brokers) {
            masters.put(broker.name, broker.address());
        }
        return Wire.route(queues, masters);
    }
}
