package dev.mq.core.producer;

import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.BatchBodyReader;
import dev.mq.core.internal.protocol.LockBatchBody;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.StoredMessage;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.testing.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A fake broker: answers SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE with a code chosen per request and,
 * when it stores, with consecutive queue offsets (one per message of a batch) and offset message ids
 * {@code <name>-OFFSET-<offset>} (comma-separated for a batch), as a real broker does. Also keeps a
 * lock table for LOCK_BATCH_MQ / UNLOCK_BATCH_MQ ({@link #locks}).
 */
public final class FakeBroker implements AutoCloseable {

    final String name;
    final FakeServer server;
    /**
     * The lock table: queue to the client id holding it. A lock request is granted for the queues
     * free or already the requester's; an unlock frees only the requester's. No expiry (tests put
     * another client's id here to play a lock held elsewhere).
     */
    public final Map<MessageQueue, String> locks = new ConcurrentHashMap<>();
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
    /**
     * Sends whose answer this broker has decided (and tied to the {@link #hold} of that moment): a test
     * that changes {@code hold} after seeing N sends here knows the first N keep the hold they had.
     */
    private final List<RemotingCommand> handledSends = new CopyOnWriteArrayList<>();
    /** How long heartbeat answers take (0: at once). */
    volatile long heartbeatDelayMs;
    /** Heartbeats answered so far; sends record whether one had been when they arrived. */
    private final AtomicLong heartbeatsAnswered = new AtomicLong();
    /** Sends (and replies) that arrived before any heartbeat had been answered. */
    final List<RemotingCommand> sendsBeforeAnyHeartbeatAnswer = new CopyOnWriteArrayList<>();

    /** A broker named {@code name} storing every send; close it when done. */
    public FakeBroker(String name) {
        this(name, request -> 0);
    }

    FakeBroker(String name, Function<RemotingCommand, Integer> sendCode) {
        this.name = name;
        this.server = new FakeServer((ctx, request) -> {
            switch (request.code()) {
                case RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE, RequestCode.SEND_REPLY_MESSAGE_V2 -> {
                    if (heartbeatsAnswered.get() == 0) {
                        sendsBeforeAnyHeartbeatAnswer.add(request);
                    }
                    Integer code = sendCode.apply(request);
                    if (firstSendCode == null) {
                        firstSendCode = code;
                    }
                    // The hold is read before the send shows in sends(), and the send shows before its
                    // answer can leave: a test that sees it there has seen everything it depends on.
                    CompletableFuture<Void> holdNow = hold;
                    handledSends.add(request);
                    answer(ctx, request, code, holdNow);
                }
                case RequestCode.LOCK_BATCH_MQ, RequestCode.UNLOCK_BATCH_MQ -> lockOrUnlock(ctx, request);
                case RequestCode.HEART_BEAT -> {
                    Runnable answer = () -> {
                        heartbeatsAnswered.incrementAndGet();
                        ctx.writeAndFlush(FakeServer.response(request.opaque(), 0, null));
                    };
                    if (heartbeatDelayMs > 0) {
                        ctx.executor().schedule(answer, heartbeatDelayMs, java.util.concurrent.TimeUnit.MILLISECONDS);
                    } else {
                        answer.run();
                    }
                }
                case RequestCode.UNREGISTER_CLIENT -> ctx.writeAndFlush(FakeServer.response(request.opaque(), 0, null));
                default -> {
                    if (!request.isResponse() && !request.isOneway()) {
                        ctx.writeAndFlush(FakeServer.response(request.opaque(), 3, "not supported"));
                    }
                }
            }
        });
    }

    /** Answers one send once {@code holdNow} completes (nothing for oneway or a null code). */
    private void answer(ChannelHandlerContext ctx, RemotingCommand request, Integer code,
                        CompletableFuture<Void> holdNow) {
        if (code == null || request.isOneway()) {
            return;
        }
        ByteBuf answer;
        if (code == 0 || code == 10 || code == 11 || code == 12) {
            int messages = request.code() == RequestCode.SEND_BATCH_MESSAGE
                    ? BatchBodyReader.read(Unpooled.wrappedBuffer(request.body())).size() : 1;
            long first = offsets.getAndAdd(messages);
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("msgId", realOffsetIds && messages == 1
                    ? StoredMessage.offsetMessageId(new byte[] {127, 0, 0, 1}, localPort(ctx), PHYSICAL_BASE + first)
                    : LongStream.range(first, first + messages).mapToObj(o -> name + "-OFFSET-" + o)
                            .collect(Collectors.joining(",")));
            fields.put("queueId", request.field("e"));
            fields.put("queueOffset", Long.toString(first));
            answer = Wire.frame(request.opaque(), code, null, fields, null);
        } else {
            answer = FakeServer.response(request.opaque(), code, "remark of " + code);
        }
        holdNow.thenRun(() -> ctx.writeAndFlush(answer));
    }

    private void lockOrUnlock(ChannelHandlerContext ctx, RemotingCommand request) {
        LockBatchBody.LockRequest lock = LockBatchBody.decodeRequest(Objects.requireNonNull(request.body()));
        byte[] answer = null;
        if (request.code() == RequestCode.LOCK_BATCH_MQ) {
            Set<MessageQueue> granted = new LinkedHashSet<>();
            for (MessageQueue queue : lock.queues()) {
                if (lock.clientId().equals(locks.computeIfAbsent(queue, q -> lock.clientId()))) {
                    granted.add(queue);
                }
            }
            answer = LockBatchBody.encodeLocked(granted);
        } else {
            lock.queues().forEach(queue -> locks.remove(queue, lock.clientId()));
        }
        if (!request.isOneway()) {
            ctx.writeAndFlush(Wire.frame(request.opaque(), 0, null, Map.of(), answer));
        }
    }

    /** SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE requests whose answer is decided, in arrival order. */
    List<RemotingCommand> sends() {
        return List.copyOf(handledSends);
    }

    public List<RemotingCommand> received(int code) {
        return server.received().stream().filter(c -> c.code() == code).toList();
    }

    public String address() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Asks the client on connection {@code channel} about a half message, as a broker's check-back does. */
    void checkTransaction(int channel, byte[] half, Map<String, String> fields) {
        server.channels().get(channel).writeAndFlush(
                Wire.onewayRequest((int) OPAQUES.incrementAndGet(), RequestCode.CHECK_TRANSACTION_STATE, fields, half));
    }

    /**
     * Pushes a reply to the client on connection {@code channel}, as a broker's PUSH_REPLY_MESSAGE_TO_CLIENT
     * does (a request expecting an answer); returns its opaque, which the client's answer carries.
     */
    int pushReply(int channel, Map<String, String> fields, byte[] body) {
        int opaque = (int) OPAQUES.incrementAndGet();
        server.channels().get(channel).writeAndFlush(
                Wire.request(opaque, RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT, fields, body));
        return opaque;
    }

    /** The client's answer to the server-initiated request {@code opaque}, or null if none came yet. */
    RemotingCommand answerTo(int opaque) {
        return server.received().stream().filter(c -> c.isResponse() && c.opaque() == opaque).findFirst()
                .orElse(null);
    }

    private static int localPort(ChannelHandlerContext ctx) {
        return ctx.channel().localAddress() instanceof InetSocketAddress local ? local.getPort() : 0;
    }

    private static final AtomicLong OPAQUES = new AtomicLong(1_000_000);
}
