package dev.mq.core.internal.consume;

import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.ConsumeDirectlyResult;
import dev.mq.core.internal.protocol.ConsumerAdminHeaders;
import dev.mq.core.internal.protocol.ConsumerRunningInfo;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.ResetOffsetBody;
import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.core.internal.protocol.StoredMessage;
import dev.mq.core.internal.transport.InboundRequestHandler;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests a broker sends to a client's consumers: NOTIFY_CONSUMER_IDS_CHANGED, and the
 * administrator's GET_CONSUMER_RUNNING_INFO, CONSUME_MESSAGE_DIRECTLY and RESET_CONSUMER_CLIENT_OFFSET,
 * which brokers forward. Register it for {@link #CODES} with the client's inbound requests; it reads
 * the request, calls the {@link Consumers} of the client, and answers with the codes and remarks the
 * official client answers with, so the admin tools show the same.
 *
 * <p>Runs on the client's callback executor. CONSUME_MESSAGE_DIRECTLY waits there (bounded) for the
 * listener, which itself runs where the consumer runs handlers.
 */
public final class ConsumerAdminRequests implements InboundRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(ConsumerAdminRequests.class);

    /** The request codes this serves. */
    public static final List<Integer> CODES = List.of(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED,
            RequestCode.GET_CONSUMER_RUNNING_INFO, RequestCode.CONSUME_MESSAGE_DIRECTLY,
            RequestCode.RESET_CONSUMER_CLIENT_OFFSET);

    /**
     * A broker gives up on a forwarded call after 10 s and tells the administrator itself; answering
     * a little earlier gets our reason through instead of its timeout.
     */
    public static final Duration DEFAULT_CONSUME_DIRECTLY_WAIT = Duration.ofSeconds(9);

    /** What the requests ask of the client's consumers; each call names a group (wire name). */
    public interface Consumers {

        /** The group's members changed: rebalance soon. Nothing if the group is not here. */
        void consumerIdsChanged(String group);

        /** The running state of this client's consumer of {@code group}, or null if it has none. */
        @Nullable ConsumerRunningInfo runningInfo(String group);

        /**
         * Runs {@code message} through {@code group}'s listener once, outside the normal flow (no
         * offset, no retry); null if this client has no consumer of {@code group}.
         *
         * @param brokerName the broker the message was read from, when the broker said
         */
        @Nullable CompletionStage<ConsumeDirectlyResult> consumeDirectly(String group, StoredMessage message,
                                                                         @Nullable String brokerName);

        /** An administrator reset {@code group}'s offsets on {@code topic} to {@code offsets}. */
        void resetOffsets(String group, String topic, Map<MessageQueue, Long> offsets);
    }

    private final Consumers consumers;
    private final Duration consumeDirectlyWait;

    public ConsumerAdminRequests(Consumers consumers) {
        this(consumers, DEFAULT_CONSUME_DIRECTLY_WAIT);
    }

    ConsumerAdminRequests(Consumers consumers, Duration consumeDirectlyWait) {
        this.consumers = Objects.requireNonNull(consumers, "consumers");
        this.consumeDirectlyWait = consumeDirectlyWait;
    }

    @Override
    public @Nullable OutboundFrame handle(String address, RemotingCommand request) {
        return switch (request.code()) {
            case RequestCode.NOTIFY_CONSUMER_IDS_CHANGED -> consumerIdsChanged(address, request);
            case RequestCode.GET_CONSUMER_RUNNING_INFO -> runningInfo(request);
            case RequestCode.CONSUME_MESSAGE_DIRECTLY -> consumeDirectly(request);
            case RequestCode.RESET_CONSUMER_CLIENT_OFFSET -> resetOffsets(address, request);
            default -> UNSUPPORTED.handle(address, request);
        };
    }

    private @Nullable OutboundFrame consumerIdsChanged(String address, RemotingCommand request) {
        ConsumerAdminHeaders.ConsumerIdsChanged header;
        try {
            header = ConsumerAdminHeaders.ConsumerIdsChanged.read(request.extFields());
        } catch (IllegalArgumentException e) {
            log.warn("ignoring a consumer-ids-changed notice from {}: {}", address, e.getMessage());
            return null;
        }
        log.debug("members of group {} changed, says {}", header.consumerGroup(), address);
        consumers.consumerIdsChanged(header.consumerGroup());
        return null;
    }

    private OutboundFrame runningInfo(RemotingCommand request) {
        ConsumerAdminHeaders.RunningInfo header;
        try {
            header = ConsumerAdminHeaders.RunningInfo.read(request.extFields());
        } catch (IllegalArgumentException e) {
            return error(request, e.getMessage());
        }
        ConsumerRunningInfo info = consumers.runningInfo(header.consumerGroup());
        if (info == null) {
            return notHere(request, header.consumerGroup());
        }
        if (header.jstackEnable()) {
            info = info.withJstack(threadDump());
        }
        return OutboundFrame.response(request.opaque(), ResponseCode.SUCCESS, null, info.encode());
    }

    private OutboundFrame consumeDirectly(RemotingCommand request) {
        ConsumerAdminHeaders.ConsumeDirectly header;
        StoredMessage message;
        try {
            header = ConsumerAdminHeaders.ConsumeDirectly.read(request.extFields());
            byte[] body = request.body();
            if (body == null || body.length == 0) {
                throw new IllegalArgumentException("no message in the request");
            }
            message = StoredMessage.decode(body);
        } catch (RuntimeException e) {
            return error(request, "cannot read the message: " + e.getMessage());
        }
        CompletionStage<ConsumeDirectlyResult> running =
                consumers.consumeDirectly(header.consumerGroup(), message, header.brokerName());
        if (running == null) {
            return notHere(request, header.consumerGroup());
        }
        ConsumeDirectlyResult result;
        try {
            result = running.toCompletableFuture().get(consumeDirectlyWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(request, "interrupted while the listener ran");
        } catch (TimeoutException e) {
            return error(request, "the listener did not finish within " + consumeDirectlyWait.toMillis() + " ms");
        } catch (ExecutionException e) {
            return error(request, "consuming directly failed: " + e.getCause());
        }
        return OutboundFrame.response(request.opaque(), ResponseCode.SUCCESS, null, result.encode());
    }

    private @Nullable OutboundFrame resetOffsets(String address, RemotingCommand request) {
        ConsumerAdminHeaders.ResetOffset header;
        Map<MessageQueue, Long> offsets;
        try {
            header = ConsumerAdminHeaders.ResetOffset.read(request.extFields());
            offsets = ResetOffsetBody.decode(request.body());
        } catch (IllegalArgumentException e) {
            log.warn("ignoring an offset reset from {}: {}", address, e.getMessage());
            return null;
        }
        if (offsets.isEmpty()) {
            // The official client ignores a reset without a body; it names no queue to move.
            log.info("offset reset of group {} on topic {} from {} names no queue", header.group(), header.topic(),
                    address);
            return null;
        }
        log.info("offsets of group {} on topic {} reset by an administrator (via {}): {}", header.group(),
                header.topic(), address, offsets);
        consumers.resetOffsets(header.group(), header.topic(), offsets);
        return null;
    }

    /** What the official client answers for a group it does not have. */
    private static OutboundFrame notHere(RemotingCommand request, String group) {
        return error(request, String.format("The Consumer Group <%s> not exist in this consumer", group));
    }

    private static OutboundFrame error(RemotingCommand request, @Nullable String remark) {
        return OutboundFrame.response(request.opaque(), ResponseCode.SYSTEM_ERROR, remark);
    }

    /** Every thread's stack, in the layout the admin tool prints as it is. */
    static String threadDump() {
        StringBuilder out = new StringBuilder(16 * 1024);
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread thread = e.getKey();
            out.append("Thread: ").append(thread.getName()).append(" (").append(thread.getState()).append(")\n");
            for (StackTraceElement frame : e.getValue()) {
                out.append('\t').append(frame).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }
}
