package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RemotingClientTest {

    private final List<RemotingCommand> inbound = new CopyOnWriteArrayList<>();
    private final TransportFixture fixture = new TransportFixture("test", RemotingConfig.defaults(),
            (address, request) -> {
                inbound.add(request);
                return InboundRequestHandler.UNSUPPORTED.handle(address, request);
            });
    private final RemotingClient client = fixture.client;

    @AfterEach
    void close() throws InterruptedException {
        fixture.close();
    }

    private static OutboundFrame ping(int n) {
        return OutboundFrame.request(105, CommandHeader.of(Map.of("n", Integer.toString(n))), null);
    }

    @Test
    void matchesPipelinedResponsesByOpaqueEvenWhenAnsweredOutOfOrder() throws Exception {
        List<RemotingCommand> held = new ArrayList<>();
        try (FakeServer server = new FakeServer((ctx, request) -> {
            // Answer in batches of 10, last first, echoing the request's "n" as the remark.
            held.add(request);
            if (held.size() == 10) {
                List<RemotingCommand> batch = new ArrayList<>(held);
                held.clear();
                Collections.reverse(batch);
                for (RemotingCommand r : batch) {
                    ctx.write(FakeServer.response(r.opaque(), 0, r.field("n")));
                }
                ctx.flush();
            }
        })) {
            List<CompletableFuture<RemotingCommand>> futures = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                futures.add(client.invoke(server.address(), ping(i), Duration.ofSeconds(10)));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get(10, TimeUnit.SECONDS).remark()).isEqualTo(Integer.toString(i));
            }
            assertThat(server.channels()).hasSize(1);
        }
    }

    @Test
    void requestWithoutAnswerTimesOutAtItsDeadline() throws Exception {
        // Answers only the warm-up request, so that the measured interval is the deadline alone
        // (no connection set-up or first-use class loading in it).
        try (FakeServer server = new FakeServer((ctx, request) -> {
            if (request.field("n").equals("0")) {
                ctx.writeAndFlush(FakeServer.response(request.opaque(), 0, null));
            }
        })) {
            client.invoke(server.address(), ping(0), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            long start = System.nanoTime();
            CompletableFuture<RemotingCommand> f = client.invoke(server.address(), ping(1), Duration.ofMillis(300));
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(MQException.class)
                    .extracting(e -> ((MQException) e).reason()).isEqualTo(MQException.Reason.TIMEOUT);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMs).isBetween(290L, 350L);
        }
    }

    @Test
    void aCallbackThatTakesTheBodyBufferReadsTheReceivedBytesAndReleasesThem() throws Exception {
        byte[] body = new byte[64 * 1024];
        new Random(5).nextBytes(body);
        try (FakeServer server = new FakeServer((ctx, request) -> ctx.writeAndFlush(FrameEncoder.encode(
                OutboundFrame.response(request.opaque(), 0, null, body), 0, ByteBufAllocator.DEFAULT)))) {
            CompletableFuture<byte[]> read = new CompletableFuture<>();
            List<ByteBuf> held = new CopyOnWriteArrayList<>();
            client.invoke(server.address(), ping(1), System.nanoTime() + TimeUnit.SECONDS.toNanos(5),
                    new ResponseCallback() {
                        @Override
                        public void onResponse(RemotingCommand response) {
                            ByteBuf buffer = response.bodyBuffer();
                            if (buffer == null) {
                                read.completeExceptionally(new AssertionError("no buffer: " + response));
                                return;
                            }
                            held.add(buffer);
                            byte[] bytes = ByteBufUtil.getBytes(buffer);
                            response.release();
                            read.complete(bytes);
                        }

                        @Override
                        public void onFailure(MQException error) {
                            read.completeExceptionally(error);
                        }

                        @Override
                        public boolean takesBodyBuffer() {
                            return true;
                        }
                    });

            assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(body);
            assertThat(held.get(0).refCnt()).isZero();
            RemotingCommand copied = client.invoke(server.address(), ping(2), Duration.ofSeconds(5)).get(5,
                    TimeUnit.SECONDS);
            assertThat(copied.bodyBuffer()).as("a callback that does not take it gets an array").isNull();
            assertThat(copied.body()).isEqualTo(body);
        }
    }

    @Test
    void closedChannelFailsItsInFlightRequestsAtOnce() throws Exception {
        try (FakeServer server = new FakeServer((ctx, request) -> ctx.close())) {
            long start = System.nanoTime();
            CompletableFuture<RemotingCommand> f = client.invoke(server.address(), ping(1), Duration.ofSeconds(30));
            assertThat(reasonOf(f)).isEqualTo(MQException.Reason.CONNECTION);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
        }
    }

    @Test
    void refusedConnectionFailsFastAndTheNextRequestReconnects() throws Exception {
        int port = freePort();
        String address = "127.0.0.1:" + port;
        assertThat(reasonOf(client.invoke(address, ping(1), Duration.ofSeconds(5))))
                .isEqualTo(MQException.Reason.CONNECTION);
        try (FakeServer server = new FakeServer(port, FakeServer.answering(0))) {
            assertThat(client.invoke(address, ping(2), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).code()).isZero();
        }
    }

    @Test
    void reconnectsAfterTheServerDroppedTheConnection() throws Exception {
        try (FakeServer server = new FakeServer(FakeServer.answering(0))) {
            assertThat(client.invoke(server.address(), ping(1), Duration.ofSeconds(5)).get().code()).isZero();
            server.channels().get(0).close().syncUninterruptibly();
            waitUntil(() -> client.connectedAddresses().isEmpty());
            assertThat(client.invoke(server.address(), ping(2), Duration.ofSeconds(5)).get().code()).isZero();
            assertThat(server.channels()).hasSize(2);
        }
    }

    @Test
    void onewayRequestsParkNothingAndReportWhenWritten() throws Exception {
        try (FakeServer server = new FakeServer((ctx, request) -> { })) {
            CountDownLatch written = new CountDownLatch(1);
            client.invoke(server.address(), OutboundFrame.oneway(37, CommandHeader.EMPTY, null),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(5), new ResponseCallback() {
                        @Override
                        public void onResponse(RemotingCommand response) {
                            assertThat(response).isNull();
                            written.countDown();
                        }

                        @Override
                        public void onFailure(MQException error) {
                        }
                    });
            assertThat(written.await(5, TimeUnit.SECONDS)).isTrue();
            waitUntil(() -> server.received().size() == 1);
            assertThat(server.received().get(0).isOneway()).isTrue();
        }
    }

    @Test
    void serverInitiatedRequestsAreDispatchedAndUnknownOnesAnsweredWithCodeThree() throws Exception {
        CompletableFuture<RemotingCommand> answer = new CompletableFuture<>();
        try (FakeServer server = new FakeServer((ctx, command) -> {
            if (command.isResponse()) {
                answer.complete(command);
            } else {
                ctx.writeAndFlush(FakeServer.response(command.opaque(), 0, null));
                ctx.writeAndFlush(FrameEncoder.encode(OutboundFrame.oneway(39, CommandHeader.EMPTY, null), 500,
                        ByteBufAllocator.DEFAULT));
                ctx.writeAndFlush(FrameEncoder.encode(OutboundFrame.request(40, CommandHeader.EMPTY, null), 501,
                        ByteBufAllocator.DEFAULT));
            }
        })) {
            assertThat(client.invoke(server.address(), ping(1), Duration.ofSeconds(5)).get().code()).isZero();
            RemotingCommand response = answer.get(5, TimeUnit.SECONDS);
            assertThat(response.opaque()).isEqualTo(501);
            assertThat(response.code()).isEqualTo(3);
            waitUntil(() -> inbound.size() == 2);
            assertThat(inbound).extracting(RemotingCommand::code).containsExactlyInAnyOrder(39, 40);
        }
    }

    @Test
    void goAwayMovesNewRequestsToAFreshConnection() throws Exception {
        try (FakeServer server = new FakeServer((ctx, request) ->
                ctx.writeAndFlush(FakeServer.response(request.opaque(), request.field("n").equals("1") ? 1500 : 0, null)))) {
            assertThat(client.invoke(server.address(), ping(1), Duration.ofSeconds(5)).get().code()).isEqualTo(1500);
            assertThat(client.invoke(server.address(), ping(2), Duration.ofSeconds(5)).get().code()).isZero();
            assertThat(server.channels()).hasSize(2);
        }
    }

    @Test
    void aRequestSentFromTheGoAwayCompletionItselfGoesToAFreshConnection() throws Exception {
        // The completion of the GO_AWAY answer runs on the event loop, before anything else can happen
        // there: a request sent from it must already see the old connection retired.
        try (FakeServer server = new FakeServer((ctx, request) ->
                ctx.writeAndFlush(FakeServer.response(request.opaque(), request.field("n").equals("1") ? 1500 : 0, null)))) {
            CompletableFuture<CompletableFuture<RemotingCommand>> next = new CompletableFuture<>();
            client.invoke(server.address(), ping(1), System.nanoTime() + TimeUnit.SECONDS.toNanos(5),
                    new ResponseCallback() {
                        @Override
                        public void onResponse(RemotingCommand response) {
                            next.complete(client.invoke(server.address(), ping(2), Duration.ofSeconds(5)));
                        }

                        @Override
                        public void onFailure(MQException error) {
                            next.completeExceptionally(error);
                        }
                    });
            assertThat(next.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS).code()).isZero();
            assertThat(server.channels()).hasSize(2);
        }
    }

    @Test
    void oversizedOrCorruptFrameClosesTheConnectionAndFailsWhatWasInFlight() throws Exception {
        try (FakeServer server = new FakeServer((ctx, request) -> {
            ByteBuf garbage = Unpooled.buffer().writeInt(FrameDecoder.MAX_FRAME_LENGTH + 1).writeInt(0);
            ctx.writeAndFlush(garbage);
        })) {
            assertThat(reasonOf(client.invoke(server.address(), ping(1), Duration.ofSeconds(10))))
                    .isEqualTo(MQException.Reason.CONNECTION);
        }
    }

    @Test
    void requestsAfterCloseFailWithShutdown() throws Exception {
        client.close();
        assertThat(reasonOf(client.invoke("127.0.0.1:1", ping(1), Duration.ofSeconds(1))))
                .isEqualTo(MQException.Reason.SHUTDOWN);
    }

    @Test
    void closeFailsEveryPendingRequest() throws Exception {
        try (FakeServer server = new FakeServer((ctx, request) -> { })) {
            CompletableFuture<RemotingCommand> f = client.invoke(server.address(), ping(1), Duration.ofSeconds(30));
            waitUntil(() -> server.received().size() == 1);
            client.close();
            assertThat(f).isCompletedExceptionally();
        }
    }

    static MQException.Reason reasonOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return ((MQException) e.getCause()).reason();
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aFrameThatCannotBeEncodedFailsItsRequestNotTheCallersThread() throws Exception {
        try (FakeServer server = new FakeServer(FakeServer.answering(0))) {
            CompletableFuture<RemotingCommand> outOfMemory = client.invoke(server.address(),
                    OutboundFrame.requestWithBodyWriter(310, CommandHeader.EMPTY,
                            failingBody(new OutOfMemoryError("Cannot reserve 4194304 bytes of direct buffer memory"))),
                    Duration.ofSeconds(5));
            CompletableFuture<RemotingCommand> broken = client.invoke(server.address(),
                    OutboundFrame.requestWithBodyWriter(310, CommandHeader.EMPTY, failingBody(new AssertionError("bug"))),
                    Duration.ofSeconds(5));

            assertThatThrownBy(() -> outOfMemory.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(MQException.class)
                    .hasMessageContaining("out of memory").hasMessageContaining("direct buffer memory")
                    .extracting(e -> ((MQException) e).reason()).isEqualTo(MQException.Reason.BACKPRESSURE);
            assertThatThrownBy(() -> broken.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(MQException.class)
                    .hasMessageContaining("could not be encoded").hasMessageContaining("bug");
            // Nothing half-written reached the server, and the connection still serves.
            assertThat(client.invoke(server.address(), ping(1), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).code())
                    .isZero();
            assertThat(server.received()).hasSize(1);
        }
    }

    private static FrameBody failingBody(Throwable failure) {
        return new FrameBody() {
            @Override
            public int length() {
                return 16;
            }

            @Override
            public void writeTo(ByteBuf out) {
                if (failure instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) failure;
            }
        };
    }
}
