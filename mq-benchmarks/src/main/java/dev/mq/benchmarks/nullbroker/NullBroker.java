package dev.mq.benchmarks.nullbroker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A RocketMQ NameServer and broker in one that stores nothing and acknowledges every send at once,
 * so that a benchmark against it measures the client alone.
 *
 * <p>It answers {@code GET_ROUTEINFO_BY_TOPIC} (105) for any topic with a standard-JSON route that
 * names itself as the only broker, {@code HEART_BEAT} (34) and {@code UNREGISTER_CLIENT} (35) with
 * success, and {@code SEND_MESSAGE} (10), {@code SEND_MESSAGE_V2} (310) and {@code SEND_BATCH_MESSAGE}
 * (320) with code 0 and {@code msgId} (for a batch one id per message, comma-separated, as a broker
 * answers), {@code queueId}, {@code queueOffset}. Oneway frames are not answered. The messages of
 * every send, answered or oneway, are counted per topic (what a oneway run's loss is measured
 * against). Any other request gets {@code REQUEST_CODE_NOT_SUPPORTED} (3). Responses written while
 * reading one batch of input are flushed together.
 */
public final class NullBroker implements AutoCloseable {

    static final String BROKER_NAME = "null-broker";
    static final String CLUSTER = "NullCluster";
    static final int QUEUES = 8;

    private static final int GET_ROUTEINFO_BY_TOPIC = 105;
    private static final int HEART_BEAT = 34;
    private static final int UNREGISTER_CLIENT = 35;
    private static final int SEND_MESSAGE = 10;
    private static final int SEND_MESSAGE_V2 = 310;
    private static final int SEND_BATCH_MESSAGE = 320;
    private static final int REQUEST_CODE_NOT_SUPPORTED = 3;
    private static final int MAX_FRAME = 64 * 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel server;
    private final ResponseWriter writer;
    private final byte[] route;
    private final AtomicLong offsets = new AtomicLong();
    private final LongAdder sends = new LongAdder();
    private final LongAdder oneways = new LongAdder();
    private final LongAdder others = new LongAdder();
    private final Set<Integer> unsupportedSeen = ConcurrentHashMap.newKeySet();
    /** Messages received per topic, from answered and oneway sends alike. */
    private final Map<String, LongAdder> receivedByTopic = new ConcurrentHashMap<>();

    public NullBroker(int port, int ioThreads) {
        group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
        ChannelHandler handler = new Handler();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4), handler);
                    }
                }).bind("127.0.0.1", port).syncUninterruptibly().channel();
        int actual = port();
        writer = new ResponseWriter(actual);
        route = routeJson("127.0.0.1:" + actual);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Sends answered, oneway frames received, and other requests answered so far. */
    public String stats() {
        return "sends=" + sends.sum() + " oneway=" + oneways.sum() + " other=" + others.sum();
    }

    /** Messages received for {@code topic}, by answered and oneway sends alike. */
    public long messagesReceived(String topic) {
        LongAdder count = receivedByTopic.get(topic);
        return count == null ? 0 : count.sum();
    }

    /** The route of any topic: this process as the master of broker {@value #BROKER_NAME}. */
    static byte[] routeJson(String address) {
        return ("{\"brokerDatas\":[{\"brokerAddrs\":{\"0\":\"" + address + "\"},\"brokerName\":\"" + BROKER_NAME
                + "\",\"cluster\":\"" + CLUSTER + "\",\"enableActingMaster\":false}],\"filterServerTable\":{},"
                + "\"queueDatas\":[{\"brokerName\":\"" + BROKER_NAME + "\",\"perm\":6,\"readQueueNums\":" + QUEUES
                + ",\"topicSysFlag\":0,\"writeQueueNums\":" + QUEUES + "}]}").getBytes(StandardCharsets.UTF_8);
    }

    @ChannelHandler.Sharable
    private final class Handler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                int word = frame.readInt();
                int type = word >>> 24;
                int headerLength = word & 0xFFFFFF;
                if (type != 0) {
                    System.err.println("null broker: serialize type " + type + " is not supported (only JSON); closing");
                    ctx.close();
                    return;
                }
                int start = frame.readerIndex();
                RequestHeader header = RequestHeader.parse(frame, start, start + headerLength);
                int messages = header.code == SEND_BATCH_MESSAGE ? countRecords(frame, start + headerLength) : 1;
                answer(ctx, header, messages);
            } finally {
                frame.release();
            }
        }

        /** The records of a batch body from {@code index} on: each starts with its own total size. */
        private int countRecords(ByteBuf frame, int index) {
            int count = 0;
            while (index + 4 <= frame.writerIndex()) {
                int size = frame.getInt(index);
                if (size <= 0) {
                    break;
                }
                index += size;
                count++;
            }
            return Math.max(count, 1);
        }

        private void answer(ChannelHandlerContext ctx, RequestHeader header, int messages) {
            switch (header.code) {
                case SEND_MESSAGE, SEND_MESSAGE_V2, SEND_BATCH_MESSAGE -> {
                    if (header.topic != null) {
                        LongAdder count = receivedByTopic.get(header.topic);
                        if (count == null) {
                            count = receivedByTopic.computeIfAbsent(header.topic, t -> new LongAdder());
                        }
                        count.add(messages);
                    }
                    if (header.isOneway()) {
                        oneways.increment();
                        return;
                    }
                    sends.increment();
                    ctx.write(writer.sendOk(ctx.alloc(), header.opaque, header.queueId, offsets.getAndAdd(messages),
                            messages));
                }
                case GET_ROUTEINFO_BY_TOPIC -> reply(ctx, header, 0, null, route);
                case HEART_BEAT, UNREGISTER_CLIENT -> reply(ctx, header, 0, null, null);
                default -> {
                    if (unsupportedSeen.add(header.code)) {
                        System.err.println("null broker: request code " + header.code + " answered as not supported");
                    }
                    reply(ctx, header, REQUEST_CODE_NOT_SUPPORTED,
                            "request code " + header.code + " is not supported by the null broker", null);
                }
            }
        }

        private void reply(ChannelHandlerContext ctx, RequestHeader header, int code, String remark, byte[] body) {
            if (header.isOneway()) {
                oneways.increment();
                return;
            }
            others.increment();
            ctx.write(writer.response(ctx.alloc(), header.opaque, code, remark, body));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("null broker: closing " + ctx.channel().remoteAddress() + ": " + cause);
            ctx.close();
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
