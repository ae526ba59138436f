package dev.mq.core.internal.consume;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.internal.protocol.HeartbeatBody.Subscription;
import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.protocol.PullMessageRequestHeader;
import dev.mq.core.internal.protocol.PullResponseHeader;
import dev.mq.core.internal.protocol.PullSysFlag;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.core.internal.protocol.StoredMessage;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.internal.transport.ResponseCallback;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull loop of every owned queue: one long-polling PULL_MESSAGE outstanding per queue, the next
 * one sent when the answer was taken in (at once, or after a delay on errors, or when the memory caps
 * leave room, or on resume). No thread waits for anything: a pull is a request and a callback. Answers
 * are read on the client's callback executor, never on the event loop.
 */
final class Puller {

    private static final Logger log = LoggerFactory.getLogger(Puller.class);

    /** How long a broker may hold a pull that found nothing (the official client's value). */
    static final long SUSPEND_MILLIS = 15_000;
    /** A held pull is answered within the suspend time plus the broker's 5 s scan: 30 s leaves room. */
    static final long PULL_TIMEOUT_MILLIS = 30_000;
    /** Delay after a failed pull (the official client's {@code pullTimeDelayMillsWhenException}). */
    static final long ERROR_DELAY_MILLIS = 1_000;
    /** How often an orderly queue whose lock lapsed checks again before pulling. */
    static final long LOCK_WAIT_MILLIS = 1_000;
    /** Delay after FLOW_CONTROL. */
    static final long FLOW_CONTROL_DELAY_MILLIS = 20;

    private final ConsumerSession session;

    Puller(ConsumerSession session) {
        this.session = session;
    }

    /** Sends the next pull of {@code queue}, unless it was given up, the consumer stops, or must wait. */
    void pull(ProcessQueue queue) {
        if (!session.isRunning() || queue.isDropped()) {
            return;
        }
        if (session.isPaused()) {
            session.whenResumed(() -> pull(queue));
            return;
        }
        QueueLocks locks = session.locks();
        if (locks != null && !locks.isLocked(queue.queue())) {
            // An orderly queue is read only while this member holds its lock; the renewal may win it back.
            retryLater(queue, LOCK_WAIT_MILLIS);
            return;
        }
        int reserved = session.budget().reserve(session.config().pullBatchSize());
        if (reserved == 0) {
            session.budget().whenRoom(() -> pull(queue));
            return;
        }
        MessageQueue mq = queue.queue();
        String address = session.requests().masterOf(mq);
        Subscription subscription = session.subscription(mq.topic());
        if (address == null || subscription == null) {
            session.budget().settle(reserved, 0, 0);
            session.routes().refresh(mq.topic());
            retryLater(queue, ERROR_DELAY_MILLIS);
            return;
        }
        // A broadcasting member's progress is its own (a local file): the group's offset at the broker is not
        // touched. A queue being given up sends none either: only its final commit writes its offset. Nor
        // does an orderly member's pull. A broker applies a pull's offset on another thread pool than offset
        // writes, and a held pull's answer (which would tell it was applied) comes only with new messages;
        // an orderly queue is handed over through its lock with no grace, to a member that reads the offset
        // at once, so its final offset must be the last one applied: its offsets go by acknowledged writes.
        long commit = session.isBroadcasting() || session.locks() != null ? 0 : queue.offsetForPull();
        boolean carriesCommit = commit > 0;
        PullMessageRequestHeader header = new PullMessageRequestHeader(session.names().group(), mq.topic(),
                mq.queueId(), queue.nextPullOffset(), reserved, PullSysFlag.of(carriesCommit, true, true), commit,
                SUSPEND_MILLIS, subscription.subString(), subscription.subVersion(), subscription.expressionType(),
                mq.brokerName());
        OutboundFrame frame = OutboundFrame.request(RequestCode.PULL_MESSAGE, w -> header.writeFields(w::field), null);
        session.remoting().invoke(address, frame,
                session.clock().nanoTime() + TimeUnit.MILLISECONDS.toNanos(PULL_TIMEOUT_MILLIS),
                new ResponseCallback() {
                    @Override
                    public void onResponse(@Nullable RemotingCommand response) {
                        // Brokers store a pull's commit offset before they answer it (a held pull: when it
                        // arrived). Without an answer it may still land: it stays unacknowledged.
                        if (carriesCommit) {
                            queue.commitAcknowledged();
                        }
                        session.callbackExecutor().execute(() -> answered(queue, reserved, response, null));
                    }

                    @Override
                    public void onFailure(MQException error) {
                        if (carriesCommit) {
                            queue.commitFailed(); // may still be applied: it stays unacknowledged
                        }
                        session.callbackExecutor().execute(() -> answered(queue, reserved, null, error));
                    }

                    @Override
                    public boolean takesBodyBuffer() {
                        return true; // decoded straight from the connection's buffer, then released
                    }
                });
    }

    private void answered(ProcessQueue queue, int reserved, @Nullable RemotingCommand response,
                          @Nullable MQException error) {
        if (response == null) {
            session.budget().settle(reserved, 0, 0);
            if (session.isRunning() && !queue.isDropped()) {
                log.debug("pull of {} failed: {}", queue.queue(), error == null ? "no answer" : error.getMessage());
            }
            retryLater(queue, ERROR_DELAY_MILLIS);
            return;
        }
        int code = response.code();
        try {
            handle(queue, reserved, response, code);
        } catch (RuntimeException e) {
            log.warn("pull answer of {} could not be read: it is pulled again", queue.queue(), e);
            retryLater(queue, ERROR_DELAY_MILLIS);
        } finally {
            response.release(); // the connection's buffer, which the messages were copied out of
        }
    }

    /** The broker's answer: messages, nothing new, a moved offset, or a refusal. */
    private void handle(ProcessQueue queue, int reserved, RemotingCommand response, int code) {
        switch (code) {
            case ResponseCode.SUCCESS -> found(queue, reserved, response);
            case ResponseCode.PULL_NOT_FOUND, ResponseCode.PULL_RETRY_IMMEDIATELY -> {
                session.budget().settle(reserved, 0, 0);
                PullResponseHeader header = PullResponseHeader.read(response.extFields());
                queue.advance(header.nextBeginOffset(), header.maxOffset());
                pull(queue);
            }
            case ResponseCode.PULL_OFFSET_MOVED -> {
                session.budget().settle(reserved, 0, 0);
                PullResponseHeader header = PullResponseHeader.read(response.extFields());
                offsetMoved(queue, header.nextBeginOffset());
                pull(queue);
            }
            case ResponseCode.FLOW_CONTROL -> {
                session.budget().settle(reserved, 0, 0);
                retryLater(queue, FLOW_CONTROL_DELAY_MILLIS);
            }
            default -> {
                session.budget().settle(reserved, 0, 0);
                log.debug("pull of {} refused: {} {}", queue.queue(), code, response.remark());
                retryLater(queue, ERROR_DELAY_MILLIS);
            }
        }
    }

    private void found(ProcessQueue queue, int reserved, RemotingCommand response) {
        PullResponseHeader header;
        List<PendingMessage> messages;
        try {
            header = PullResponseHeader.read(response.extFields());
            ByteBuf body = response.bodyBuffer();
            if (body == null) { // no body, or one given as an array (the transport hands the buffer when it has one)
                byte[] bytes = response.body();
                body = bytes == null ? null : Unpooled.wrappedBuffer(bytes);
            }
            messages = decode(queue.queue(), body, header.offsetDelta());
        } catch (RuntimeException e) {
            session.budget().settle(reserved, 0, 0);
            throw e;
        }
        ProcessQueue.Added added = queue.add(messages, header.nextBeginOffset(), header.maxOffset());
        session.budget().settle(reserved, added.messages(), added.bytes());
        if (added.messages() > 0) {
            session.dispatcher().messagesReady(queue);
        }
        pull(queue);
    }

    /**
     * The broker's offset correction (out of range, or an administrator's reset on 5.x): continue there
     * and record it at once, backwards if need be, so that a restart does not go back out of range.
     */
    private void offsetMoved(ProcessQueue queue, long next) {
        log.info("offset of {} moved by the broker: continuing at {}", queue.queue(), next);
        queue.moveTo(next);
        if (!queue.isDropped()) {
            session.offsetStore().update(queue.queue(), queue.committableOffset(), true);
            session.offsetStore().persist(List.of(queue.queue()));
        }
    }

    /**
     * The records of a pull answer as pending messages: tags re-checked against the subscription (the
     * broker filtered by hash), names without the namespace, a retried message under its original topic.
     */
    List<PendingMessage> decode(MessageQueue wireQueue, @Nullable ByteBuf body, long offsetDelta) {
        if (body == null || !body.isReadable()) {
            return List.of();
        }
        List<StoredMessage> records = StoredMessage.decodeAll(body);
        Subscription subscription = session.subscription(wireQueue.topic());
        List<PendingMessage> messages = new ArrayList<>(records.size());
        WireNames names = session.names();
        boolean retryQueue = names.isRetryTopic(wireQueue.topic());
        MessageQueue shownQueue = names.applicationQueue(wireQueue);
        for (StoredMessage record : records) {
            if (subscription != null && !matches(subscription, record.property(MessageProperties.TAGS))) {
                continue; // skipped, yet the offset moves past it with nextBeginOffset
            }
            String topic = shownQueue.topic();
            if (retryQueue) {
                String original = record.property(MessageProperties.RETRY_TOPIC);
                if (original != null) {
                    topic = names.applicationTopic(original);
                }
            }
            ReceivedMessage message = record.toReceivedMessage(topic, shownQueue, offsetDelta);
            messages.add(new PendingMessage(message, record.physicalOffset(), wireQueue.topic(), message.body().length));
        }
        return messages;
    }

    /** The client-side tag check: a TAG subscription naming tags keeps only messages with one of them. */
    static boolean matches(Subscription subscription, @Nullable String tags) {
        if (!Subscription.TAG.equals(subscription.expressionType()) || subscription.tagsSet().isEmpty()) {
            return true;
        }
        return tags != null && subscription.tagsSet().contains(tags);
    }

    private void retryLater(ProcessQueue queue, long delayMillis) {
        if (!session.isRunning() || queue.isDropped()) {
            return;
        }
        try {
            session.remoting().schedule(timeout -> pull(queue), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) { // the client's timer stopped: the client is closing
            log.debug("cannot schedule the next pull of {}: {}", queue.queue(), e.toString());
        }
    }
}
