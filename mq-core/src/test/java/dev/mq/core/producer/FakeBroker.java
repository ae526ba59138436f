package dev.mq.core.producer;

import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.BatchBodyReader;
import dev.mq.core.internal.protocol.ConsumerListBody;
import dev.mq.core.internal.protocol.ConsumerOffsetHeaders;
import dev.mq.core.internal.protocol.PullResponseHeader;
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
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A fake broker: answers SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE with a code chosen per request and,
 * when it stores, with consecutive queue offsets (one per message of a batch) and offset message ids
 * {@code <name>-OFFSET-<offset>} (comma-separated for a batch), as a real broker does. Also keeps a
 * lock table for LOCK_BATCH_MQ / UNLOCK_BATCH_MQ ({@link #locks}), and plays a consumer's broker: a
 * group's members ({@link #members}), its offsets ({@link #consumerOffsets}), pulls ({@link #pulls}) and
 * the subscription check ({@link #checkClientCode}).
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
    /** The members GET_CONSUMER_LIST_BY_GROUP lists (any group); none answers SYSTEM_ERROR, as a real broker does. */
    public final List<String> members = new CopyOnWriteArrayList<>();
    /**
     * The consumer offsets QUERY_CONSUMER_OFFSET answers and UPDATE_CONSUMER_OFFSET stores (any group),
     * by queue on this broker; a queue without one answers QUERY_NOT_FOUND.
     */
    public final Map<MessageQueue, Long> consumerOffsets = new ConcurrentHashMap<>();
    /** What PULL_MESSAGE does; by default nothing (the pull is held, as a long poll with no message). */
    public volatile BiConsumer<ChannelHandlerContext, RemotingCommand> pulls = (ctx, request) -> { };
    /** The code CHECK_CLIENT_CONFIG answers (its remark {@code remark of <code>}); SUCCESS by default. */
    public volatile int checkClientCode;
    /** The answer code to UPDATE_CONSUMER_OFFSET; anything but 0 refuses the write (the offset stays). */
    public volatile int offsetUpdateCode;
    /**
     * Offset writes are applied and answered only once this completes (in arrival order), as a busy
     * broker takes them up late; complete by default.
     */
    public volatile CompletableFuture<Void> offsetUpdateHold = CompletableFuture.completedFuture(null);
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
                case RequestCode.GET_CONSUMER_LIST_BY_GROUP -> ctx.writeAndFlush(members.isEmpty()
                        ? FakeServer.response(request.opaque(), 1, "no consumer for this group")
                        : Wire.frame(request.opaque(), 0, null, Map.of(), ConsumerListBody.encode(members)));
                case RequestCode.QUERY_CONSUMER_OFFSET -> {
                    Long offset = consumerOffsets.get(queueOf(request));
                    ctx.writeAndFlush(offset == null ? FakeServer.response(request.opaque(), 22, "not found")
                            : offsetAnswer(request, offset));
                }
                case RequestCode.UPDATE_CONSUMER_OFFSET -> {
                    int answer = offsetUpdateCode;
                    offsetUpdateHold.thenRun(() -> {
                        if (answer == 0) {
                            consumerOffsets.put(queueOf(request), Long.parseLong(request.field("commitOffset")));
                        }
                        ctx.writeAndFlush(FakeServer.response(request.opaque(), answer,
                                answer == 0 ? null : "offset update refused"));
                    });
                }
                case RequestCode.GET_MAX_OFFSET, RequestCode.GET_MIN_OFFSET ->
                        ctx.writeAndFlush(offsetAnswer(request, 0));
                case RequestCode.PULL_MESSAGE -> pulls.accept(ctx, request);
                case RequestCode.CHECK_CLIENT_CONFIG -> ctx.writeAndFlush(FakeServer.response(request.opaque(),
                        checkClientCode, checkClientCode == 0 ? null : "remark of " + checkClientCode));
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

    private MessageQueue queueOf(RemotingCommand request) {
        return new MessageQueue(request.field("topic"), name, Integer.parseInt(request.field("queueId")));
    }

    private static ByteBuf offsetAnswer(RemotingCommand request, long offset) {
        return Wire.frame(request.opaque(), 0, null, Map.of(ConsumerOffsetHeaders.OFFSET, Long.toString(offset)), null);
    }

    /**
     * Answers {@code pull} with {@code code} (0 FOUND, 19 NOT_FOUND, …), continuing at {@code nextBeginOffset},
     * with {@code records} (stored-message records, concatenated) as its body when not null.
     */
    public static void answerPull(ChannelHandlerContext ctx, RemotingCommand pull, int code, long nextBeginOffset,
                                  byte[] records) {
        ctx.writeAndFlush(Wire.frame(pull.opaque(), code, null, Map.of(PullResponseHeader.NEXT_BEGIN_OFFSET,
                Long.toString(nextBeginOffset), PullResponseHeader.MIN_OFFSET, "0", PullResponseHeader.MAX_OFFSET,
                Long.toString(nextBeginOffset)), records));
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

    /** The server underneath: every request it received, in arrival order. */
    public FakeServer server() {
        return server;
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
