package dev.mq.core.internal.send;

import dev.mq.core.MQException;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.StoredMessage;
import dev.mq.core.internal.route.TopicRoutes;
import dev.mq.core.internal.transport.InboundRequestHandler;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.internal.transport.ResponseCallback;
import dev.mq.core.producer.TransactionChecker;
import dev.mq.core.producer.TransactionState;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers CHECK_TRANSACTION_STATE (§9.3): a broker asks, on any connection of this client, how a
 * half message it holds ended. The check goes to the producer of the group named in the half
 * message's {@code PGROUP} (the wire group, namespace included); its {@link TransactionChecker} runs
 * here, on the callback executor the transport hands inbound requests to, and the answer is a new
 * oneway END_TRANSACTION to the broker that asked. A group without a producer or checker here answers
 * UNKNOWN (the broker asks again later, perhaps another instance), logged once per group. A check
 * of a transaction whose check is still running is dropped: the broker asks again. A checker that
 * throws answers nothing, for the same reason.
 */
public final class TransactionChecks implements InboundRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(TransactionChecks.class);

    private final RemotingClient remoting;
    private final TopicRoutes routes;
    private final Function<String, @Nullable DefaultProducer> producerByWireGroup;
    private final @Nullable String namespace;
    private final Duration answerTimeout;
    /** Transactions whose check runs now: an overlapping check of one of them is dropped. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** Groups already logged as having no checker here: once per group, not per check. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param producerByWireGroup this client's producer of a wire group, or null
     * @param answerTimeout how long writing an answer may take
     */
    public TransactionChecks(RemotingClient remoting, TopicRoutes routes, Function<String, @Nullable DefaultProducer> producerByWireGroup,
                             @Nullable String namespace, Duration answerTimeout) {
        this.remoting = remoting;
        this.routes = routes;
        this.producerByWireGroup = producerByWireGroup;
        this.namespace = namespace;
        this.answerTimeout = answerTimeout;
    }

    @Override
    public @Nullable OutboundFrame handle(String address, RemotingCommand request) {
        byte[] body = request.body();
        StoredMessage half;
        try {
            if (body == null) {
                throw new IllegalArgumentException("no body");
            }
            half = StoredMessage.decode(body);
        } catch (IllegalArgumentException e) {
            log.warn("transaction check from {} without a readable half message: {}", address, e.getMessage());
            return null;
        }
        String group = half.property(MessageProperties.PGROUP);
        if (group == null) {
            log.warn("transaction check from {} for {} names no producer group", address, half.messageId());
            return null;
        }
        String transactionId = half.messageId();
        if (!running.add(transactionId)) {
            log.debug("transaction check of {} from {} overlaps one still running: dropped", transactionId, address);
            return null;
        }
        try {
            check(address, request, half, group, transactionId);
        } finally {
            running.remove(transactionId);
        }
        return null;
    }

    private void check(String address, RemotingCommand request, StoredMessage half, String group,
                       String transactionId) {
        DefaultProducer producer = producerByWireGroup.apply(group);
        TransactionChecker checker = producer == null ? null : producer.config().transactionChecker();
        TransactionState state;
        if (checker == null) {
            if (warned.add(group)) {
                log.warn("broker {} checks transaction {} of producer group '{}', which has {} here: answering "
                        + "UNKNOWN (logged once per group)", address, transactionId, group,
                        producer == null ? "no producer" : "no transaction checker");
            }
            state = TransactionState.UNKNOWN;
        } else {
            try {
                state = checker.check(received(half, address, request));
            } catch (Exception | LinkageError | AssertionError e) {
                log.warn("transaction checker of group '{}' failed on {}: no answer, the broker asks again", group,
                        transactionId, e);
                return;
            }
            if (state == null) {
                state = TransactionState.UNKNOWN;
            }
        }
        if (producer != null) {
            producer.countCheck(state);
        }
        EndTransactionHeader answer = new EndTransactionHeader(group, longField(request, "tranStateTableOffset",
                half.queueOffset()), longField(request, "commitLogOffset", half.physicalOffset()), state, true,
                transactionId, request.field("transactionId"), request.field("topic"), request.field("bname"));
        remoting.invoke(address, OutboundFrame.oneway(RequestCode.END_TRANSACTION, answer, null),
                remoting.clock().nanoTime() + answerTimeout.toNanos(), new ResponseCallback() {
                    @Override
                    public void onResponse(@Nullable RemotingCommand response) {
                        // written: a oneway answer is all the broker expects
                    }

                    @Override
                    public void onFailure(MQException error) {
                        log.warn("answer {} to the check of {} could not reach {}: {}", answer.state(), transactionId,
                                address, error.getMessage());
                    }
                });
    }

    private ReceivedMessage received(StoredMessage half, String address, RemotingCommand request) {
        String topic = half.topic();
        if (namespace != null && topic.startsWith(namespace + "%")) {
            topic = topic.substring(namespace.length() + 1);
        }
        String brokerName = request.field("bname");
        if (brokerName == null) { // 4.9 brokers do not name themselves in a check
            brokerName = routes.brokerNameOf(half.topic(), address);
        }
        if (brokerName == null) {
            brokerName = address;
        }
        return half.toReceivedMessage(topic, brokerName);
    }

    private static long longField(RemotingCommand request, String name, long fallback) {
        String value = request.field(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
