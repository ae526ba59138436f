package dev.mq.core.producer;

import dev.mq.core.internal.protocol.BatchBodyReader;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.StoredMessage;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.testing.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A fake broker: answers SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE with a code chosen per request and,
 * when it stores, with consecutive queue offsets (one per message of a batch) and offset message ids
 * {@code <name>-OFFSET-<offset>} (comma-separated for a batch), as a real broker does.
 */
final class FakeBroker {

    final String name;
    final FakeServer server;
    final AtomicLong offsets = new AtomicLong();
    volatile Integer firstSendCode;
    /**
     * Whether a single send's answer carries a real offset message id (127.0.0.1, this broker's port,
     * physical offset {@link #PHYSICAL_BASE} + queue offset), as transactions need; else the readable
     * {@code <name>-OFFSET-<offset>}.
     */
    volatile boolean realOffsetIds;
    static final long PHYSICAL_BASE = 5_000;
    /** Answers to sends leave only once this completes (in order); complete by default. */
    volatile CompletableFuture<Void> hold = CompletableFuture.completedFuture(null);

    FakeBroker(String name, Function<RemotingCommand, Integer> sendCode) {
        this.name = name;
        this.server = new FakeServer((ctx, request) -> {
            switch (request.code()) {
                case RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE -> {
                    Integer code = sendCode.apply(request);
                    if (firstSendCode == null) {
                        firstSendCode = code;
                    }
                    if (code == null || request.isOneway()) {
                        return;
                    }
                    if (code == 0 || code == 10 || code == 11 || code == 12) {
                        int messages = request.code() == RequestCode.SEND_BATCH_MESSAGE
                                ? BatchBodyReader.read(Unpooled.wrappedBuffer(request.body())).size() : 1;
                        long first = offsets.getAndAdd(messages);
                        Map<String, String> fields = new LinkedHashMap<>();
                        fields.put("msgId", realOffsetIds && messages == 1
                                ? StoredMessage.offsetMessageId(new byte[] {127, 0, 0, 1}, ctx.channel().localAddress() instanceof java.net.InetSocketAddress local ? local.getPort() : 0, PHYSICAL_BASE + first)
                                : LongStream.range(first, first + messages).mapToObj(o -> name + "-OFFSET-" + o)
                                .collect(Collectors.joining(",")));
                        fields.put("queueId", request.field("e"));
                        fields.put("queueOffset", Long.toString(first));
                        ByteBuf answer = Wire.frame(request.opaque(), code, null, fields, null);
                        hold.thenRun(() -> ctx.writeAndFlush(answer));
                    } else {
                        ByteBuf answer = FakeServer.response(request.opaque(), code, "remark of " + code);
                        hold.thenRun(() -> ctx.writeAndFlush(answer));
                    }
                }
                case RequestCode.HEART_BEAT, RequestCode.UNREGISTER_CLIENT ->
                        ctx.writeAndFlush(FakeServer.response(request.opaque(), 0, null));
                default -> {
                    if (!request.isResponse() && !request.isOneway()) {
                        ctx.writeAndFlush(FakeServer.response(request.opaque(), 3, "not supported"));
                    }
                }
            }
        });
    }

    /** SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE requests, in arrival order. */
    List<RemotingCommand> sends() {
        return server.received().stream().filter(c -> c.code() == RequestCode.SEND_MESSAGE_V2
                || c.code() == RequestCode.SEND_BATCH_MESSAGE).toList();
    }

    List<RemotingCommand> received(int code) {
        return server.received().stream().filter(c -> c.code() == code).toList();
    }

    String address() {
        return server.address();
    }

    /** Asks the client on connection {@code channel} about a half message, as a broker's check-back does. */
    void checkTransaction(int channel, byte[] half, Map<String, String> fields) {
        server.channels().get(channel).writeAndFlush(
                Wire.onewayRequest((int) OPAQUES.incrementAndGet(), RequestCode.CHECK_TRANSACTION_STATE, fields, half));
    }

    private static final AtomicLong OPAQUES = new AtomicLong(1_000_000);
}
