package dev.mq.benchmarks.ceiling;

import dev.mq.benchmarks.harness.MessageSpec;
import dev.mq.benchmarks.ours.OursMessages;
import dev.mq.core.Message;
import dev.mq.core.internal.protocol.MessageIdGenerator;
import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.transport.CommandHeader;
import dev.mq.core.internal.transport.FrameEncoder;
import dev.mq.core.internal.transport.OutboundFrame;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most any client could get from one connection to the null broker: one frame, encoded once,
 * written again and again by a loop on the event loop that keeps {@code window} requests outstanding,
 * tops the window up after each batch of answers and flushes once per top-up. No message objects, no
 * futures, no ids, no per-message encoding.
 */
public final class Ceiling {

    private Ceiling() {
    }

    /** Answers per second over {@code durationNanos}, after {@code warmupNanos}. */
    public static double measure(String address, int bytes, int window, long warmupNanos, long durationNanos)
            throws InterruptedException {
        String[] hostPort = address.split(":");
        ByteBuf frame = preEncodedSend(bytes);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicLong answers = new AtomicLong();
        try {
            Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 24, 0, 4, 0, 4),
                                    new PipelinedWriter(frame, window, answers));
                        }
                    }).connect(hostPort[0], Integer.parseInt(hostPort[1])).syncUninterruptibly().channel();
            TimeUnit.NANOSECONDS.sleep(warmupNanos);
            long before = answers.get();
            long start = System.nanoTime();
            TimeUnit.NANOSECONDS.sleep(durationNanos);
            long count = answers.get() - before;
            long elapsed = System.nanoTime() - start;
            channel.close().syncUninterruptibly();
            return count * 1e9 / elapsed;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            frame.release();
        }
    }

    /** A SEND_MESSAGE_V2 frame like mq-core's for the benchmark's message, encoded once. */
    static ByteBuf preEncodedSend(int bytes) {
        Message message = OursMessages.message("bench-ceiling", MessageSpec.body(bytes));
        String properties = MessageProperties.encode(message, MessageIdGenerator.shared().next(), true);
        CommandHeader header = OursMessages.sendHeader("bench-ceiling", "bench-ceiling", properties,
                System.currentTimeMillis());
        return FrameEncoder.encode(OutboundFrame.request(310, header, message.body()), 1, PooledByteBufAllocator.DEFAULT);
    }

    private static final class PipelinedWriter extends ChannelInboundHandlerAdapter {

        private final ByteBuf frame;
        private final int window;
        private final AtomicLong answers;
        private int outstanding;

        PipelinedWriter(ByteBuf frame, int window, AtomicLong answers) {
            this.frame = frame;
            this.window = window;
            this.answers = answers;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            topUp(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
            outstanding--;
            answers.incrementAndGet();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            topUp(ctx);
        }

        private void topUp(ChannelHandlerContext ctx) {
            if (!ctx.channel().isActive()) {
                return;
            }
            while (outstanding < window) {
                ctx.write(frame.retainedDuplicate(), ctx.voidPromise());
                outstanding++;
            }
            ctx.flush();
        }
    }
}
