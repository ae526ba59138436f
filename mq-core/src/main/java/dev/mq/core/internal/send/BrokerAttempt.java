package dev.mq.core.internal.send;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.SendStatus;
import dev.mq.core.internal.protocol.OutgoingProperties;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.core.internal.protocol.SendResponse;
import dev.mq.core.internal.route.TopicPublishInfo;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.internal.transport.ResponseCallback;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One request to one broker: an attempt of a single send ({@link SendOperation}) or an automatic
 * batch ({@link BatchSend}). It finds the queue's master, writes the SEND_MESSAGE_V2 or
 * SEND_BATCH_MESSAGE frame, and sorts what comes back into stored, refused or failed in transport —
 * retryable or not — feeding latency fault tolerance the same way for both. What an outcome means
 * for the sends involved is the subclass's.
 *
 * <p>A base class rather than a helper object so that the send (or the batch) is itself the
 * transport's callback: an attempt costs no object of its own.
 */
abstract class BrokerAttempt implements ResponseCallback {

    final DefaultProducer producer;
    /** The queue of the current attempt: set by {@link #begin} (or a batch's constructor) before any use. */
    @SuppressWarnings("NullAway.Init")
    MessageQueue queue;
    /** Its broker's master, or null when the route names none. */
    @Nullable String brokerAddress;
    long attemptStartNanos;

    BrokerAttempt(DefaultProducer producer) {
        this.producer = producer;
    }

    /** The topic as the user named it, for error messages. */
    abstract String userTopic();

    /** Writes the attempt; runs inside {@link #writeSafely()}. */
    abstract void write();

    /** The broker stored the request with {@code status} and answered {@code response}. */
    abstract void stored(SendStatus status, RemotingCommand response);

    /** The attempt failed: refused by the broker, in transport, or inside the client. */
    abstract void failed(MQException error, boolean retryable);

    /**
     * Writes the attempt. Whatever goes wrong here — even an {@link Error} such as running out of
     * direct memory while encoding — becomes its outcome (a failure of the client, not of the broker:
     * no retry, no penalty), so that capacity and the queue's turn always pass on instead of being
     * held forever by a dead task.
     */
    final void writeSafely() {
        try {
            write();
        } catch (Throwable e) {
            failed(unexpected(e), false);
        }
    }

    /** The error of a send that failed inside the client, not at a broker. */
    static MQException unexpected(Throwable e) {
        return new MQException(MQException.Reason.CONNECTION, "the request could not be written: " + e, e);
    }

    /** An attempt on {@code target} begins now: its broker's master is looked up in {@code route}. */
    final void begin(MessageQueue target, TopicPublishInfo route) {
        queue = target;
        brokerAddress = route.masterAddress(target.brokerName());
        attemptStartNanos = producer.clock().nanoTime();
    }

    /**
     * True if the attempt's broker has a master; if not, the attempt fails with NO_ROUTE — as a
     * transport failure would: the broker is penalised and another may be tried.
     */
    final boolean hasMaster() {
        if (brokerAddress != null) {
            return true;
        }
        onFailure(new MQException(MQException.Reason.NO_ROUTE, "broker " + queue.brokerName() + " of topic '"
                + userTopic() + "' has no master address"));
        return false;
    }

    /** The request header for this attempt's queue, born now. */
    final SendMessageHeader header(String wireTopic, int sysFlag, int flag, OutgoingProperties properties, boolean batch) {
        return new SendMessageHeader(producer.wireGroup(), wireTopic, queue.queueId(), sysFlag,
                producer.clock().millis(), flag, properties, batch, queue.brokerName());
    }

    /** The request code for a single message or a batch. */
    static int requestCode(boolean batch) {
        return batch ? RequestCode.SEND_BATCH_MESSAGE : RequestCode.SEND_MESSAGE_V2;
    }

    /** Hands {@code frame} to the transport, which answers this attempt by {@code deadlineNanos}. */
    final void invoke(OutboundFrame frame, long deadlineNanos) {
        String address = brokerAddress;
        if (address == null) { // callers ask hasMaster() first
            throw new IllegalStateException("no master to write to for " + queue);
        }
        producer.remoting().invoke(address, frame, deadlineNanos, this);
    }

    /** Event loop: the broker answered. */
    @Override
    public final void onResponse(@Nullable RemotingCommand response) {
        if (response == null) { // the transport's answer to a oneway frame: sends are always requests
            throw new IllegalStateException("a send attempt is never written oneway");
        }
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(producer.clock().nanoTime() - attemptStartNanos);
        int code = response.code();
        SendStatus status = SendResponse.status(code);
        // A code worth retrying elsewhere is about this broker (busy, not writeable, shutting down); the
        // others judge the message itself, and a prompt answer is a healthy broker's latency.
        boolean retryable = status == null && ResponseCode.isRetryable(code);
        producer.faultTolerance().record(queue.brokerName(), latencyMs, retryable);
        if (status != null) {
            stored(status, response);
        } else {
            failed(SendResponse.rejection(code, response.remark(), queue.brokerName(), brokerAddress, userTopic(),
                    permissionHint(code, response.remark())), retryable);
        }
    }

    /** Event loop or timer: the attempt failed in transport (or its broker has no master). */
    @Override
    public final void onFailure(MQException error) {
        if (queue != null && blamesBroker(error)) {
            producer.faultTolerance().record(queue.brokerName(), LatencyFaultTolerance.FAILURE_LATENCY_MS, true);
        }
        failed(error, error.reason() == MQException.Reason.CONNECTION
                || error.reason() == MQException.Reason.NO_ROUTE);
    }

    /**
     * Whether a transport failure says the broker is unwell: it could not be reached, did not answer
     * in time, or has no master. The client shutting down, or failing itself, says nothing about it.
     */
    private static boolean blamesBroker(MQException error) {
        MQException.Reason reason = error.reason();
        return reason == MQException.Reason.CONNECTION || reason == MQException.Reason.TIMEOUT
                || reason == MQException.Reason.NO_ROUTE;
    }

    /**
     * An ACL refusal (NO_PERMISSION, or a 4.9 broker's SYSTEM_ERROR naming its AclException) does not
     * say whether the credentials or the rights are wrong; say what to check.
     */
    private String permissionHint(int code, @Nullable String remark) {
        if (!ResponseCode.isAclRefusal(code, remark)) {
            return "";
        }
        return producer.remoting().signsRequests()
                ? " (the broker refused this client's ACL credentials, or their user may not write to this topic:"
                        + " check the access key and secret key and the user's permissions)"
                : " (this client sends no ACL credentials: if the cluster requires authentication, set them with"
                        + " MQClientInstance.Builder.credentials, or mq.client.access-key and mq.client.secret-key)";
    }
}
