package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The idle event comes one idle time (at most a quarter more) after the last read or write, and not before. */
class IdleWatchTest {

    private static final long IDLE_MS = 400;

    private final List<Object> events = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    IdleWatchTest() {
        channel.freezeTime();
        channel.pipeline().addLast(new IdleWatch(TimeUnit.MILLISECONDS.toNanos(IDLE_MS)),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                        events.add(event);
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        // consumed
                    }
                });
    }

    /** Time passes in 10 ms steps, each running what came due, as an event loop would. */
    private void advance(long millis) {
        for (long step = 0; step < millis; step += 10) {
            channel.advanceTimeBy(10, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    @Test
    void quietChannelGetsTheEventAfterOneIdleTimeAndAgainAfterAnother() {
        advance(IDLE_MS - 100);
        assertThat(events).isEmpty();
        advance(100);
        assertThat(events).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        advance(IDLE_MS);
        assertThat(events).hasSize(2);
    }

    @Test
    void readsAndWritesPutTheEventOff() {
        for (int i = 0; i < 10; i++) { // traffic every 300 ms: never idle for 400 ms
            advance(300);
            if (i % 2 == 0) {
                channel.writeInbound("in");
            } else {
                channel.writeOutbound("out");
            }
        }
        assertThat(events).isEmpty();
        advance(IDLE_MS - 110); // not yet one idle time after the last write
        assertThat(events).isEmpty();
        advance(IDLE_MS / 4 + 110); // by a quarter of the idle time past one idle time
        assertThat(events).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    @Test
    void aClosedChannelStopsChecking() {
        channel.close();
        advance(IDLE_MS * 3);
        assertThat(events).isEmpty();
        assertThat(channel.hasPendingTasks()).isFalse();
    }
}
