package dev.mq.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import dev.mq.core.client.ClientResources;
import dev.mq.core.internal.client.CallbackExecutor;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.InboundRequestHandler;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.internal.transport.RemotingConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The route cache against a fake NameServer: waiting, resuming, and surviving failing code. */
class TopicRoutesTest {

    private static final String ROUTE = "{\"brokerDatas\":[{\"brokerAddrs\":{\"0\":\"127.0.0.1:1\"},"
            + "\"brokerName\":\"broker-a\",\"cluster\":\"DefaultCluster\"}],\"filterServerTable\":{},"
            + "\"queueDatas\":[{\"brokerName\":\"broker-a\",\"perm\":6,\"readQueueNums\":4,\"topicSysFlag\":0,"
            + "\"writeQueueNums\":4}]}";

    private final CallbackExecutor callbacks = CallbackExecutor.create(null, "routes-test");
    private final ClientResources resources = ClientResources.builder().name("routes-test").build();
    private final RemotingClient remoting = new RemotingClient("routes-test", RemotingConfig.defaults(),
            InboundRequestHandler.UNSUPPORTED, callbacks,
            resources.eventLoopGroup(), resources.timer(), resources.clock());
    private FakeServer nameServer;

    @AfterEach
    void tearDown() {
        remoting.close();
        resources.close();
        callbacks.close(Duration.ofSeconds(1));
        if (nameServer != null) {
            nameServer.close();
        }
    }

    /** A waiter throwing an Error (say, a failed assertion) neither strands the waiters behind it nor the topic. */
    @Test
    void aWaiterThrowingAnErrorStrandsNeitherTheOtherWaitersNorTheTopic() throws Exception {
        TopicRoutes routes = routes(topic -> ROUTE, 100, route -> { });
        Recording after = new Recording();
        routes.await("T", throwing());
        routes.await("T", after);
        waitUntil(() -> after.ready.size() == 1);

        assertThat(routes.cached("T")).isNotNull();
        Recording next = new Recording();
        routes.await("T", next);
        assertThat(next.ready).hasSize(1);
        assertThat(routeRequests("T")).isEqualTo(1);
    }

    /** The lookup's own completion throwing an Error still resumes every waiter. */
    @Test
    void anErrorInTheLookupCompletionStillResumesEveryWaiter() throws Exception {
        TopicRoutes routes = routes(topic -> ROUTE, 100, route -> {
            throw new AssertionError("route listener failed");
        });
        Recording first = new Recording();
        Recording second = new Recording();
        routes.await("T", first);
        routes.await("T", second);
        waitUntil(() -> first.ready.size() == 1 && second.ready.size() == 1);
        assertThat(routes.cached("T")).isNotNull();
    }

    /** After a failed lookup whose first waiter throws an Error, the topic is looked up again on the next send. */
    @Test
    void aFailedLookupWithAThrowingWaiterLeavesTheTopicOpenForTheNextLookup() throws Exception {
        AtomicReference<Function<String, String>> answers = new AtomicReference<>(topic -> null);
        TopicRoutes routes = routes(topic -> answers.get().apply(topic), 100, route -> { });
        Recording after = new Recording();
        routes.await("T", throwing());
        routes.await("T", after);
        waitUntil(() -> after.failed.size() == 1);
        assertThat(after.failed.get(0).reason()).isEqualTo(MQException.Reason.NO_ROUTE);

        answers.set(topic -> ROUTE);
        Recording retry = new Recording();
        routes.await("T", retry);
        waitUntil(() -> retry.ready.size() == 1);
        assertThat(routeRequests("T")).isEqualTo(2);
    }

    private TopicRoutes routes(Function<String, String> answers, long delayMs, Consumer<TopicPublishInfo> onNewRoute) {
        nameServer = new FakeServer((ctx, request) -> {
            if (request.code() != RequestCode.GET_ROUTEINFO_BY_TOPIC) {
                return;
            }
            String body = answers.apply(request.field("topic"));
            ByteBuf answer = body == null ? FakeServer.response(request.opaque(), 17, "no route")
                    : frame(request.opaque(), body.getBytes(StandardCharsets.UTF_8));
            ctx.executor().schedule(() -> ctx.writeAndFlush(answer), delayMs, TimeUnit.MILLISECONDS);
        });
        NameServerClient client = new NameServerClient(List.of(nameServer.address()), remoting, Duration.ofSeconds(3));
        return new TopicRoutes(client, callbacks, onNewRoute, Duration.ofMinutes(5));
    }

    private long routeRequests(String topic) {
        return nameServer.received().stream().filter(c -> topic.equals(c.field("topic"))).count();
    }

    private static RouteWaiter throwing() {
        return new RouteWaiter() {
            @Override
            public void routeReady(TopicPublishInfo route) {
                throw new AssertionError("waiter failed");
            }

            @Override
            public void routeFailed(MQException error) {
                throw new AssertionError("waiter failed");
            }
        };
    }

    /** A success response carrying {@code body}: {@code int32 length | int32 headerLength | JSON header | body}. */
    private static ByteBuf frame(int opaque, byte[] body) {
        byte[] header = ("{\"code\":0,\"flag\":1,\"language\":\"JAVA\",\"opaque\":" + opaque
                + ",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":479}").getBytes(StandardCharsets.UTF_8);
        ByteBuf out = Unpooled.buffer(8 + header.length + body.length);
        out.writeInt(4 + header.length + body.length);
        out.writeInt(header.length);
        out.writeBytes(header);
        out.writeBytes(body);
        return out;
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }

    private static final class Recording implements RouteWaiter {

        final List<TopicPublishInfo> ready = new CopyOnWriteArrayList<>();
        final List<MQException> failed = new CopyOnWriteArrayList<>();

        @Override
        public void routeReady(TopicPublishInfo route) {
            ready.add(route);
        }

        @Override
        public void routeFailed(MQException error) {
            failed.add(error);
        }
    }
}
