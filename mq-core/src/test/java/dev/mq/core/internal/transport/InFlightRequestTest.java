package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import dev.mq.core.testing.ManualClock;
import dev.mq.core.testing.ManualTimer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A request holds its connection from the start (not its address): what it still reports. */
class InFlightRequestTest {

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final Connection connection = new Connection("10.1.2.3:10911", loop, 0);
    private final CompletableFuture<@Nullable RemotingCommand> outcome = new CompletableFuture<>();
    private final ResponseCallback callback = new ResponseCallback() {
        @Override
        public void onResponse(@Nullable RemotingCommand response) {
            outcome.complete(response);
        }

        @Override
        public void onFailure(MQException error) {
            outcome.completeExceptionally(error);
        }
    };

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void aDeadlineBeforeItsConnectionOpenedFailsItWithTimeoutNamingTheAddressAndReleasesTheFrameOnce() {
        ManualTimer timer = new ManualTimer(new ManualClock());
        ByteBuf frame = Unpooled.buffer(8).writeLong(1);
        InFlightRequest request = new InFlightRequest(1, false, connection, frame, callback);
        request.timeout(timer.newTimeout(request, 3, TimeUnit.SECONDS));

        timer.advance(Duration.ofSeconds(3)); // the connection never opened: no channel, nothing written

        MQException error = failure();
        assertThat(error.reason()).isEqualTo(MQException.Reason.TIMEOUT);
        assertThat(error.getMessage()).contains("10.1.2.3:10911").contains("not established");
        assertThat(frame.refCnt()).as("the unwritten frame was released").isZero();
        request.fail(new MQException(MQException.Reason.CONNECTION, "closed later")); // no second release
        assertThat(frame.refCnt()).isZero();
    }

    @Test
    void aOnewayFrameThatFailsToBeWrittenNamesTheConnectionsAddress() {
        InFlightRequest request = new InFlightRequest(2, true, connection, Unpooled.buffer(8).writeLong(2), callback);
        ByteBuf written = request.takeFrame();
        assertThat(written).isNotNull();
        written.release(); // the channel's part
        EmbeddedChannel channel = new EmbeddedChannel();

        request.operationComplete(channel.newFailedFuture(new IOException("connection reset")));

        MQException error = failure();
        assertThat(error.reason()).isEqualTo(MQException.Reason.CONNECTION);
        assertThat(error.getMessage()).contains("writing to 10.1.2.3:10911 failed").contains("connection reset");
        channel.finishAndReleaseAll();
    }

    private MQException failure() {
        Throwable t = outcome.handle((r, e) -> e).orTimeout(5, TimeUnit.SECONDS).join();
        assertThat(t).isInstanceOf(MQException.class);
        return (MQException) t;
    }
}
