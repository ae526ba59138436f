package dev.mq.core.internal.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} once a channel has neither read anything nor been
 * given anything to write for the idle time (and again after each further idle time).
 *
 * <p>In place of Netty's {@code IdleStateHandler}, which counts a write when it completes and so
 * turns every write's void promise into a real one with a listener — about 90 B per request, a tenth
 * of a send's allocation ({@code SendPathBenchmark} in docs/performance.md). Here a write counts when
 * it is issued: a write that never completes is the write-stall timeout's to catch, and an idle
 * connection is closed only with nothing in flight anyway. Traffic only sets a flag; a check every
 * quarter of the idle time counts the quiet quarters, so the event comes between one and one and a
 * quarter idle times after the last traffic.
 */
final class IdleWatch extends ChannelDuplexHandler implements Runnable {

    private static final int CHECKS_PER_IDLE = 4;

    private final long checkNanos;
    private @Nullable ChannelHandlerContext ctx;
    private @Nullable Future<?> check;
    /** Set by traffic, cleared by each check: event-loop fields only. */
    private boolean traffic;
    private int quietChecks;

    IdleWatch(long idleNanos) {
        this.checkNanos = Math.max(1, idleNanos / CHECKS_PER_IDLE);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        traffic = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        traffic = true;
        ctx.write(msg, promise);
    }

    private void start(ChannelHandlerContext ctx) {
        if (check == null) {
            check = ctx.executor().schedule(this, checkNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stop() {
        Future<?> scheduled = check;
        if (scheduled != null) {
            check = null;
            scheduled.cancel(false);
        }
    }

    /** Event loop, every quarter of the idle time. */
    @Override
    public void run() {
        ChannelHandlerContext context = ctx;
        if (context == null || check == null || !context.channel().isOpen()) {
            return;
        }
        if (traffic) {
            traffic = false;
            quietChecks = 0;
        } else if (++quietChecks == CHECKS_PER_IDLE) {
            quietChecks = 0;
            context.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        }
        if (check != null && context.channel().isOpen()) { // the event may have closed it
            check = context.executor().schedule(this, checkNanos, TimeUnit.NANOSECONDS);
        }
    }
}
