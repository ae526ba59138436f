package dev.mq.core.internal.consume;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.ConsumerConnectionBody;
import dev.mq.core.internal.protocol.ConsumerListBody;
import dev.mq.core.internal.protocol.ConsumerOffsetHeaders;
import dev.mq.core.internal.protocol.ConsumerSendMsgBackHeader;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.RequestFields;
import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.core.internal.route.TopicRoutes;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.internal.transport.RemotingCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The consumer's control requests to brokers, each to the master of the broker a queue lives on:
 * offsets (query, update, max, min, by time), the group's member list, and send-backs. Answers complete
 * on the transport's threads; callers must not block there.
 */
final class BrokerRequests {

    /** The official client's timeout for control requests. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final RemotingClient remoting;
    private final TopicRoutes routes;

    BrokerRequests(RemotingClient remoting, TopicRoutes routes) {
        this.remoting = remoting;
        this.routes = routes;
    }

    /** The master address of {@code wireQueue}'s broker, or null while unknown. */
    @Nullable String masterOf(MessageQueue wireQueue) {
        return routes.masterAddress(wireQueue.topic(), wireQueue.brokerName());
    }

    /**
     * The group's committed offset of {@code wireQueue}, or {@link OffsetStore#NONE}. A 5.x broker is
     * asked for the literal answer ({@code setZeroIfNotFound=false}): otherwise it answers 0 for a new
     * group on a young queue, and consume-from would not apply.
     */
    CompletableFuture<Long> queryOffset(String wireGroup, MessageQueue wireQueue) {
        return call(wireQueue, RequestCode.QUERY_CONSUMER_OFFSET, new ConsumerOffsetHeaders.Query(wireGroup,
                wireQueue.topic(), wireQueue.queueId(), false, wireQueue.brokerName()))
                .thenApply(response -> response.code() == ResponseCode.QUERY_NOT_FOUND ? OffsetStore.NONE
                        : offset(expectSuccess(response, "QUERY_CONSUMER_OFFSET", wireQueue)));
    }

    /** Stores {@code offset} as the group's offset of {@code wireQueue}; completes when the broker accepted it. */
    CompletableFuture<Void> updateOffset(String wireGroup, MessageQueue wireQueue, long offset) {
        return call(wireQueue, RequestCode.UPDATE_CONSUMER_OFFSET, new ConsumerOffsetHeaders.Update(wireGroup,
                wireQueue.topic(), wireQueue.queueId(), offset, wireQueue.brokerName()))
                .thenApply(response -> {
                    expectSuccess(response, "UPDATE_CONSUMER_OFFSET", wireQueue);
                    return null;
                });
    }

    /** The queue's end: the offset the next stored message gets. */
    CompletableFuture<Long> maxOffset(MessageQueue wireQueue) {
        return call(wireQueue, RequestCode.GET_MAX_OFFSET, sink -> {
            sink.accept("topic", wireQueue.topic());
            sink.accept("queueId", Integer.toString(wireQueue.queueId()));
            sink.accept("committed", "true");
            sink.accept("bname", wireQueue.brokerName());
        }).thenApply(response -> offset(expectSuccess(response, "GET_MAX_OFFSET", wireQueue)));
    }

    /** The queue's oldest stored offset. */
    CompletableFuture<Long> minOffset(MessageQueue wireQueue) {
        return call(wireQueue, RequestCode.GET_MIN_OFFSET, sink -> {
            sink.accept("topic", wireQueue.topic());
            sink.accept("queueId", Integer.toString(wireQueue.queueId()));
            sink.accept("bname", wireQueue.brokerName());
        }).thenApply(response -> offset(expectSuccess(response, "GET_MIN_OFFSET", wireQueue)));
    }

    /** The offset of the first message stored at or after {@code time}. */
    CompletableFuture<Long> offsetAt(MessageQueue wireQueue, Instant time) {
        return call(wireQueue, RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, sink -> {
            sink.accept("topic", wireQueue.topic());
            sink.accept("queueId", Integer.toString(wireQueue.queueId()));
            sink.accept("timestamp", Long.toString(time.toEpochMilli()));
            sink.accept("bname", wireQueue.brokerName());
        }).thenApply(response -> offset(expectSuccess(response, "SEARCH_OFFSET_BY_TIMESTAMP", wireQueue)));
    }

    /** The group's live members as {@code brokerAddress} lists them. */
    CompletableFuture<List<String>> consumerIds(String brokerAddress, String wireGroup) {
        return aboutGroup(brokerAddress, RequestCode.GET_CONSUMER_LIST_BY_GROUP, wireGroup, ConsumerListBody::decode,
                List.of());
    }

    /**
     * Asks the broker at {@code brokerAddress} whether it can filter by the subscription in
     * {@code checkClientBody} (CHECK_CLIENT_CONFIG); the answer as it came.
     */
    CompletableFuture<RemotingCommand> checkClientConfig(String brokerAddress, byte[] checkClientBody) {
        return remoting.invoke(brokerAddress, OutboundFrame.request(RequestCode.CHECK_CLIENT_CONFIG, w -> { },
                checkClientBody), TIMEOUT);
    }

    /** The group as {@code brokerAddress} knows it: its members and the subscription table it keeps for it. */
    CompletableFuture<ConsumerConnectionBody> consumerConnections(String brokerAddress, String wireGroup) {
        return aboutGroup(brokerAddress, RequestCode.GET_CONSUMER_CONNECTION_LIST, wireGroup,
                ConsumerConnectionBody::decode, new ConsumerConnectionBody(List.of(), Map.of()));
    }

    /** A request about {@code wireGroup} to {@code brokerAddress}: its body decoded, {@code empty} for none. */
    private <T> CompletableFuture<T> aboutGroup(String brokerAddress, int code, String wireGroup,
                                                Function<byte[], T> decode, T empty) {
        return remoting.invoke(brokerAddress, OutboundFrame.request(code, w -> w.field("consumerGroup", wireGroup),
                null), TIMEOUT).thenApply(response -> {
                    if (response.code() != ResponseCode.SUCCESS) {
                        throw MQException.brokerRejected(RequestCode.name(code) + " of " + wireGroup + " at "
                                + brokerAddress + " failed", response.code(), response.remark());
                    }
                    byte[] body = response.body();
                    return body == null ? empty : decode.apply(body);
                });
    }

    /** Hands a failed message back to its broker, which stores a copy in the retry (or dead-letter) topic. */
    CompletableFuture<Void> sendBack(MessageQueue wireQueue, ConsumerSendMsgBackHeader header) {
        return call(wireQueue, RequestCode.CONSUMER_SEND_MSG_BACK, header).thenApply(response -> {
            expectSuccess(response, "CONSUMER_SEND_MSG_BACK", wireQueue);
            return null;
        });
    }

    private CompletableFuture<RemotingCommand> call(MessageQueue wireQueue, int code, RequestFields fields) {
        String address = masterOf(wireQueue);
        if (address == null) {
            return CompletableFuture.failedFuture(new MQException(MQException.Reason.NO_ROUTE,
                    "no master known for broker " + wireQueue.brokerName() + " of " + wireQueue.topic()));
        }
        return remoting.invoke(address, OutboundFrame.request(code, w -> fields.writeFields(w::field), null), TIMEOUT);
    }

    private static RemotingCommand expectSuccess(RemotingCommand response, String what, MessageQueue queue) {
        if (response.code() != ResponseCode.SUCCESS) {
            throw MQException.brokerRejected(what + " of " + queue + " failed", response.code(), response.remark());
        }
        return response;
    }

    private static long offset(RemotingCommand response) {
        String text = response.field(ConsumerOffsetHeaders.OFFSET);
        if (text == null) {
            throw new IllegalStateException("answer without an offset: " + response);
        }
        return Long.parseLong(text.trim());
    }
}
