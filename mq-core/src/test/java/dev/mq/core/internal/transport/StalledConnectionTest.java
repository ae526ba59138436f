package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import io.netty.channel.FixedRecvByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection whose server stops reading is declared dead after the write-stall timeout; one whose
 * server reads slowly, but reads, is left alone however long its bytes wait.
 */
class StalledConnectionTest {

    private static final Duration STALL = Duration.ofMillis(300);
    private static final int BODY = 16 * 1024;

    private final TransportFixture fixture = new TransportFixture("stall",
            RemotingConfig.defaults().withWriteStallTimeout(STALL), InboundRequestHandler.UNSUPPORTED);
    private final RemotingClient client = fixture.client;

    @AfterEach
    void close() throws InterruptedException {
        fixture.close();
    }

    private static OutboundFrame request() {
        return OutboundFrame.request(310, CommandHeader.EMPTY, new byte[BODY]);
    }

    @Test
    void aServerThatReadsNothingIsDeclaredDeadAndEveryRequestFailsWithConnection() throws Exception {
        try (SilentServer server = new SilentServer()) {
            long start = System.nanoTime();
            List<CompletableFuture<RemotingCommand>> futures = new ArrayList<>();
            for (int i = 0; i < 400; i++) { // 6.4 MiB: far more than the socket buffers take
                futures.add(client.invoke(server.address(), request(), Duration.ofSeconds(20)));
            }
            for (CompletableFuture<RemotingCommand> future : futures) {
                try {
                    future.get(5, TimeUnit.SECONDS); // well before the 20 s deadline
                    throw new AssertionError("a silent server cannot answer");
                } catch (ExecutionException e) {
                    MQException error = (MQException) e.getCause();
                    assertThat(error.reason()).isEqualTo(MQException.Reason.CONNECTION);
                    assertThat(error.getMessage()).contains("stalled").contains("read none of the bytes")
                            .contains(server.address());
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aSlowServerThatKeepsReadingIsNotCutOff() throws Exception {
        try (FakeServer server = new FakeServer(channel -> {
            // One read every 30 ms, in 4 KiB steps; the frame decoder asks for more until it has a whole
            // request, so the server takes in about one request per 30 ms (~530 KiB/s).
            channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(4096).maxMessagesPerRead(1));
            channel.config().setAutoRead(false);
            channel.eventLoop().scheduleAtFixedRate(channel::read, 30, 30, TimeUnit.MILLISECONDS);
        }, (ctx, request) -> ctx.writeAndFlush(FakeServer.response(request.opaque(), 0, null)))) {
            long start = System.nanoTime();
            List<CompletableFuture<RemotingCommand>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                futures.add(client.invoke(server.address(), request(), Duration.ofSeconds(30)));
            }
            for (CompletableFuture<RemotingCommand> future : futures) {
                assertThat(future.get(30, TimeUnit.SECONDS).code()).isZero();
            }
            // The last request waited many stall timeouts for the server to read it, and was not cut off.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(STALL.multipliedBy(4));
            assertThat(server.channels()).hasSize(1);
        }
    }
}
