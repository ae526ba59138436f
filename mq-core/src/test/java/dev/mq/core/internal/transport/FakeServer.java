package dev.mq.core.internal.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A scriptable remoting server for transport tests: every decoded frame goes to a behaviour that
 * may answer (or not), close the channel, or write raw bytes. Public so that tests of other
 * packages can stand it up as a fake NameServer or broker.
 */
public final class FakeServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<RemotingCommand> received = new CopyOnWriteArrayList<>();
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final Channel server;
    private volatile BiConsumer<ChannelHandlerContext, RemotingCommand> behaviour;

    public FakeServer(BiConsumer<ChannelHandlerContext, RemotingCommand> behaviour) {
        this(0, behaviour);
    }

    public FakeServer(int port, BiConsumer<ChannelHandlerContext, RemotingCommand> behaviour) {
        this(port, channel -> { }, behaviour);
    }

    /** A server whose accepted channels are first handed to {@code channelSetup} (options, read pacing). */
    public FakeServer(Consumer<Channel> channelSetup, BiConsumer<ChannelHandlerContext, RemotingCommand> behaviour) {
        this(0, channelSetup, behaviour);
    }

    private FakeServer(int port, Consumer<Channel> channelSetup,
                       BiConsumer<ChannelHandlerContext, RemotingCommand> behaviour) {
        this.behaviour = behaviour;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        channelSetup.accept(ch);
                        ch.pipeline().addLast(new FrameDecoder(), new SimpleChannelInboundHandler<RemotingCommand>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, RemotingCommand command) {
                                received.add(command);
                                FakeServer.this.behaviour.accept(ctx, command);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                // A frame it cannot read (say, a TLS hello): hang up, as a RocketMQ server does.
                                ctx.close();
                            }
                        });
                    }
                }).bind("127.0.0.1", port).syncUninterruptibly().channel();
    }

    /** Answers every request with {@code code} and the request's opaque. */
    public static BiConsumer<ChannelHandlerContext, RemotingCommand> answering(int code) {
        return (ctx, request) -> {
            if (!request.isOneway()) {
                ctx.writeAndFlush(response(request.opaque(), code, null));
            }
        };
    }

    public static ByteBuf response(int opaque, int code, String remark) {
        return FrameEncoder.encode(OutboundFrame.response(opaque, code, remark), 0, ByteBufAllocator.DEFAULT);
    }

    public void behaviour(BiConsumer<ChannelHandlerContext, RemotingCommand> behaviour) {
        this.behaviour = behaviour;
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public List<RemotingCommand> received() {
        return received;
    }

    public List<Channel> channels() {
        return channels;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        channels.forEach(Channel::close);
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
