package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mq.core.MQException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The client against a server that answers with corrupt frames. A frame the decoder cannot read ends
 * the connection: every request in flight on it fails with CONNECTION at once (not at its deadline),
 * nothing escapes onto the event loop, and the next request opens a fresh connection and works.
 */
class HostileServerTest {

    private static final Duration LONG_DEADLINE = Duration.ofSeconds(30);
    /** Far below the deadline: the failure comes from the closed connection, not from a timer. */
    private static final long PROMPT_MS = 3_000;

    private final TransportFixture fixture = new TransportFixture("hostile", RemotingConfig.defaults(),
            InboundRequestHandler.UNSUPPORTED);
    private final RemotingClient client = fixture.client;
    private final ListAppender<ILoggingEvent> nettyLogs = new ListAppender<>();
    private final Logger netty = (Logger) LoggerFactory.getLogger("io.netty");
    private Level nettyLevel;

    @BeforeEach
    void captureNettyWarnings() {
        // Netty reports an exception thrown by a handler or an event-loop task by logging it at WARN
        // ("reached the tail of the pipeline", "A task raised an exception"): none may appear.
        nettyLevel = netty.getLevel();
        netty.setLevel(Level.WARN);
        nettyLogs.start();
        netty.addAppender(nettyLogs);
    }

    @AfterEach
    void close() throws InterruptedException {
        fixture.close();
        netty.detachAppender(nettyLogs);
        netty.setLevel(nettyLevel);
        assertThat(nettyLogs.list).as("warnings Netty logged for exceptions on the event loop")
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    private static OutboundFrame ping(int n) {
        return OutboundFrame.request(105, CommandHeader.of(Map.of("n", Integer.toString(n))), null);
    }

    static Stream<Arguments> corruptAnswers() {
        return Stream.of(
                corrupt("length field of 2 GiB", opaque -> Unpooled.buffer().writeInt(Integer.MAX_VALUE).writeInt(0)),
                corrupt("negative length field", opaque -> Unpooled.buffer().writeInt(-8).writeLong(0)),
                corrupt("length one over the 16 MiB cap", opaque -> Unpooled.buffer()
                        .writeInt(FrameDecoder.MAX_FRAME_LENGTH - 3).writeInt(0)),
                corrupt("frame too short for a header word", opaque -> Unpooled.buffer().writeInt(2).writeShort(0)),
                corrupt("header length beyond the frame", opaque -> Unpooled.buffer().writeInt(8).writeInt(1000)
                        .writeInt(0)),
                corrupt("broken JSON", opaque -> raw("{\"code\":0,\"flag\":1,\"opaque\":" + opaque + ",")),
                corrupt("JSON that is not an object", opaque -> raw("[0,1," + opaque + "]")),
                corrupt("opaque that is not a number", opaque -> raw("{\"code\":0,\"flag\":1,\"opaque\":\"x\"}")),
                corrupt("remark that is an object", opaque -> raw("{\"code\":0,\"flag\":1,\"opaque\":" + opaque
                        + ",\"remark\":{\"code\":1}}")),
                corrupt("unknown serialize type 7", opaque -> Unpooled.wrappedBuffer(withType(7,
                        Frames.jsonFrame("{\"code\":0,\"flag\":1,\"opaque\":" + opaque + "}", null)))),
                corrupt("truncated binary header", opaque -> {
                    byte[] frame = Frames.binaryFrame(0, 0, 479, opaque, 1, "remark", Map.of("k", "v"), null);
                    ByteBuf b = Unpooled.buffer().writeInt(4 + 10).writeInt((1 << 24) | 10);
                    return b.writeBytes(frame, 8, 10);
                }),
                corrupt("binary header with negative remark length", opaque -> Unpooled.buffer().writeInt(4 + 17)
                        .writeInt((1 << 24) | 17).writeShort(0).writeByte(0).writeShort(479).writeInt(opaque)
                        .writeInt(1).writeInt(-5)),
                corrupt("TLS server hello on a plaintext connection", opaque -> Unpooled.wrappedBuffer(new byte[] {
                    0x16, 0x03, 0x03, 0x00, 0x31, 0x02, 0x00, 0x00, 0x2d, 0x03, 0x03})),
                corrupt("an HTTP server's answer", opaque -> raw0("HTTP/1.1 400 Bad Request\r\n\r\n")),
                corrupt("random bytes (seed 1)", opaque -> randomBytes(1)),
                corrupt("random bytes (seed 2)", opaque -> randomBytes(2)),
                corrupt("random bytes (seed 3)", opaque -> randomBytes(3)));
    }

    private static Arguments corrupt(String name, IntFunction<ByteBuf> answer) {
        return Arguments.of(name, answer);
    }

    /** A JSON-typed frame around {@code json}. */
    private static ByteBuf raw(String json) {
        return Unpooled.wrappedBuffer(Frames.jsonFrame(json, null));
    }

    private static ByteBuf raw0(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] withType(int type, byte[] frame) {
        frame[4] = (byte) type;
        return frame;
    }

    private static ByteBuf randomBytes(long seed) {
        byte[] b = new byte[4096];
        new Random(seed).nextBytes(b);
        b[0] = (byte) 0x80; // a length of 2 GiB or more; what follows is noise
        return Unpooled.wrappedBuffer(b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptAnswers")
    void corruptFrameFailsEveryRequestInFlightPromptlyAndTheNextRequestWorks(String name, IntFunction<ByteBuf> answer)
            throws Exception {
        List<RemotingCommand> held = new ArrayList<>();
        try (FakeServer server = new FakeServer((ctx, request) -> {
            held.add(request);
            if (held.size() == 3) { // all three are in flight: answer the first properly, then the garbage
                ctx.write(FakeServer.response(held.get(0).opaque(), 0, null));
                ctx.writeAndFlush(answer.apply(held.get(1).opaque()));
            }
        })) {
            long start = System.nanoTime();
            List<CompletableFuture<RemotingCommand>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(client.invoke(server.address(), ping(i), LONG_DEADLINE));
            }
            assertThat(futures.get(0).get(PROMPT_MS, TimeUnit.MILLISECONDS).code()).isZero();
            for (CompletableFuture<RemotingCommand> f : futures.subList(1, 3)) {
                MQException e = failure(f);
                assertThat(e.reason()).isEqualTo(MQException.Reason.CONNECTION);
                assertThat(e.getMessage()).contains("connection to " + server.address() + " lost: io.netty.handler.codec.");
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(PROMPT_MS);
            Channel first = server.channels().get(0);
            RemotingClientTest.waitUntil(() -> !first.isActive()); // the client hung up

            server.behaviour(FakeServer.answering(0));
            assertThat(client.invoke(server.address(), ping(9), LONG_DEADLINE).get(PROMPT_MS, TimeUnit.MILLISECONDS)
                    .code()).isZero();
            assertThat(server.channels()).hasSize(2);
        }
    }

    @Test
    void anAnswerWithAnUnknownOpaqueIsIgnoredAndTheConnectionStays() throws Exception {
        // A late answer to a request that already timed out looks exactly like this, so it is no reason to
        // drop a connection other requests are using (RocketMQ's own client ignores it too).
        try (FakeServer server = new FakeServer((ctx, request) -> {
            int opaque = "stray".equals(request.field("mode")) ? request.opaque() + 1_000_000 : request.opaque();
            ctx.writeAndFlush(FakeServer.response(opaque, 0, null));
        })) {
            long start = System.nanoTime();
            CompletableFuture<RemotingCommand> stray = client.invoke(server.address(),
                    OutboundFrame.request(105, CommandHeader.of(Map.of("mode", "stray")), null), Duration.ofMillis(300));
            MQException e = failure(stray);
            assertThat(e.reason()).isEqualTo(MQException.Reason.TIMEOUT);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(290);
            assertThat(client.invoke(server.address(), ping(1), LONG_DEADLINE).get(PROMPT_MS, TimeUnit.MILLISECONDS)
                    .code()).isZero();
            assertThat(server.channels()).hasSize(1);
            assertThat(server.channels().get(0).isActive()).isTrue();
        }
    }

    @Test
    void anUnknownResponseCodeIsHandedToTheCallerNotTreatedAsCorruption() throws Exception {
        try (FakeServer server = new FakeServer((ctx, request) ->
                ctx.writeAndFlush(FakeServer.response(request.opaque(), 31_337, "what is this")))) {
            RemotingCommand answer = client.invoke(server.address(), ping(1), LONG_DEADLINE)
                    .get(PROMPT_MS, TimeUnit.MILLISECONDS);
            assertThat(answer.code()).isEqualTo(31_337);
            assertThat(answer.remark()).isEqualTo("what is this");
            assertThat(client.invoke(server.address(), ping(2), LONG_DEADLINE).get(PROMPT_MS, TimeUnit.MILLISECONDS)
                    .code()).isEqualTo(31_337);
            assertThat(server.channels()).hasSize(1);
        }
    }

    @Test
    void aServerThatHangsUpWithoutAWordGetsAnErrorThatMentionsTls() throws Exception {
        try (FakeServer server = new FakeServer((ctx, request) -> ctx.close())) {
            MQException e = failure(client.invoke(server.address(), ping(1), LONG_DEADLINE));
            assertThat(e.reason()).isEqualTo(MQException.Reason.CONNECTION);
            assertThat(e.getMessage()).contains("closed by the server before it answered anything",
                    "if the server requires TLS");
        }
    }

    @Test
    void closingOurOwnConnectionDoesNotBlameTls() throws Exception {
        try (FakeServer server = new FakeServer((ctx, request) -> { })) {
            CompletableFuture<RemotingCommand> pending = client.invoke(server.address(), ping(1), LONG_DEADLINE);
            RemotingClientTest.waitUntil(() -> server.received().size() == 1);
            client.closeConnection(server.address());
            MQException e = failure(pending);
            assertThat(e.reason()).isEqualTo(MQException.Reason.CONNECTION);
            assertThat(e.getMessage()).doesNotContain("TLS");
        }
    }

    @Test
    void aTlsClientTalkingToAPlaintextServerFailsWithTheHandshakeError() throws Exception {
        var tls = io.netty.handler.ssl.SslContextBuilder.forClient()
                .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE).build();
        try (RemotingClient tlsClient = fixture.newClient("tls", RemotingConfig.defaults().withSslContext(tls),
                InboundRequestHandler.UNSUPPORTED);
             FakeServer plaintext = new FakeServer(FakeServer.answering(0))) {
            long start = System.nanoTime();
            MQException e = failure(tlsClient.invoke(plaintext.address(), ping(1), LONG_DEADLINE));
            assertThat(e.reason()).isEqualTo(MQException.Reason.CONNECTION);
            assertThat(e.getMessage()).contains("TLS handshake with " + plaintext.address() + " did not complete",
                    "if the server does not accept TLS").doesNotContain("if the server requires TLS");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(PROMPT_MS);
        }
    }

    @Test
    void theTlsContextSupplierIsAskedForEachNewConnectionAndItsFailureFailsOnlyThatConnection() throws Exception {
        var tls = io.netty.handler.ssl.SslContextBuilder.forClient()
                .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE).build();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.function.Supplier<io.netty.handler.ssl.SslContext> renewable = () -> {
            asked.incrementAndGet();
            if (broken.get()) {
                throw new IllegalStateException("certificates unreadable");
            }
            return tls;
        };
        try (RemotingClient tlsClient = fixture.newClient("tls", RemotingConfig.defaults().withSslContext(renewable),
                InboundRequestHandler.UNSUPPORTED);
             FakeServer first = new FakeServer(FakeServer.answering(0));
             FakeServer second = new FakeServer(FakeServer.answering(0))) {
            assertThat(failure(tlsClient.invoke(first.address(), ping(1), LONG_DEADLINE)).getMessage())
                    .contains("TLS handshake with " + first.address());
            assertThat(asked).as("once for the first connection").hasValue(1);

            broken.set(true);
            long start = System.nanoTime();
            MQException e = failure(tlsClient.invoke(second.address(), ping(2), LONG_DEADLINE));
            assertThat(e.reason()).isEqualTo(MQException.Reason.CONNECTION);
            assertThat(e.getMessage()).contains("cannot connect to " + second.address(), "no TLS context",
                    "certificates unreadable");
            assertThat(asked).as("asked again for the new connection").hasValue(2);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(PROMPT_MS);
        }
    }

    private static MQException failure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(PROMPT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(MQException.class);
            return (MQException) e.getCause();
        }
        throw new AssertionError("expected a failure");
    }
}
