package dev.mq.core.internal.send;

import dev.mq.core.MQException;
import dev.mq.core.MessageQueue;
import dev.mq.core.SendStatus;
import dev.mq.core.internal.protocol.BatchBody;
import dev.mq.core.internal.protocol.SendResponse;
import dev.mq.core.internal.transport.FrameBody;
import dev.mq.core.internal.transport.OutboundFrame;
import dev.mq.core.internal.transport.RemotingCommand;
import io.netty.buffer.ByteBuf;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One automatic batch: the sends that waited for one queue, written as one SEND_BATCH_MESSAGE whose
 * body is laid out straight into the frame, and the broker's one answer handed back to each send
 * as its own result — its own message id, the i-th offset message id and queue offset
 * {@code first + i}.
 *
 * <p>Deadlines: the request carries the latest deadline of its sends, and a send whose own deadline
 * comes first fails alone with TIMEOUT at that deadline (one timer for the batch, set to the next
 * such deadline), while the others keep waiting for the answer. The alternative — the earliest
 * deadline for the whole batch — would fail sends with time left because another send joined them,
 * and since the batch may already be stored, a caller who re-sent would store a duplicate. Keeping
 * short sends out of batches with longer ones would not do either: waiting orderly sends cannot be reordered.
 */
final class BatchSend extends BrokerAttempt implements FrameBody, TimerTask {

    /** Whose queue this batch mutes until its outcome. */
    private final QueueDispatcher dispatcher;
    private List<SendOperation> members;
    private int bodyLength;
    /** The request's deadline: the latest of the members'. */
    private long deadlineNanos;
    /** Pending: the timer that expires the next member whose deadline comes before the request's. */
    private volatile @Nullable Timeout expiry;
    /** The batch has its outcome: no member needs expiring any more. */
    private volatile boolean answered;

    BatchSend(DefaultProducer producer, MessageQueue queue, List<SendOperation> members, QueueDispatcher dispatcher) {
        super(producer);
        this.queue = queue;
        this.members = members;
        this.dispatcher = dispatcher;
    }

    @Override
    String userTopic() {
        return members.get(0).payload().userTopic();
    }

    /** The outcome reaches every member on the callback executor, and the queue's turn passes on. */
    @Override
    void write() {
        members = stillWaiting(members);
        if (members.isEmpty()) {
            dispatcher.release(false);
            return;
        }
        int length = 0;
        for (int i = 0, n = members.size(); i < n; i++) {
            length += recordSize(members.get(i).payload());
        }
        bodyLength = length;
        SendOperation first = members.get(0);
        begin(queue, first.route());
        long latest = first.deadlineNanos();
        long earliest = latest;
        for (int i = 0, n = members.size(); i < n; i++) {
            SendOperation member = members.get(i);
            member.joinBatch(brokerAddress, attemptStartNanos);
            long d = member.deadlineNanos();
            if (d - latest > 0) {
                latest = d;
            }
            if (d - earliest < 0) {
                earliest = d;
            }
        }
        deadlineNanos = latest;
        if (!hasMaster()) {
            return;
        }
        SendMessageHeader header = header(first.payload().wireTopic(), 0, 0, DefaultProducer.BATCH_PROPERTIES, true);
        if (members.size() > 1) {
            producer.countAutoBatch();
        }
        if (earliest - latest < 0) {
            expiry = producer.remoting().schedule(this, earliest - producer.clock().nanoTime(), TimeUnit.NANOSECONDS);
        }
        invoke(OutboundFrame.requestWithBodyWriter(requestCode(true), header, this), latest);
    }

    /**
     * Timer: members whose own deadline has passed fail with TIMEOUT (on the callback executor, where
     * hooks may run); the timer is set again for the next member that would otherwise hear late.
     */
    @Override
    public void run(Timeout timeout) {
        if (answered) {
            return;
        }
        long now = producer.clock().nanoTime();
        List<SendOperation> expired = null;
        long next = deadlineNanos;
        for (int i = 0, n = members.size(); i < n; i++) {
            SendOperation member = members.get(i);
            if (member.isDone()) {
                continue;
            }
            long d = member.deadlineNanos();
            if (d - now <= 0) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(member);
            } else if (d - next < 0) {
                next = d;
            }
        }
        if (next - deadlineNanos < 0 && !answered) {
            expiry = producer.remoting().schedule(this, next - now, TimeUnit.NANOSECONDS);
        }
        if (expired != null) {
            List<SendOperation> failing = expired;
            MQException error = new MQException(MQException.Reason.TIMEOUT, "broker " + queue.brokerName() + " ("
                    + brokerAddress + ") did not answer within the send deadline; the batch that carried the message"
                    + " may still be stored");
            producer.runCallback(() -> {
                for (int i = 0, n = failing.size(); i < n; i++) {
                    failing.get(i).batchFailed(error, false);
                }
            });
        }
    }

    /** The batch has its outcome: its expiry timer, if any, is not needed any more. */
    private void answered() {
        answered = true;
        Timeout pending = expiry;
        if (pending != null) {
            pending.cancel();
        }
    }

    /**
     * The sends that still wait: one whose deadline has passed fails on its own (TIMEOUT) instead of
     * giving the whole batch a deadline in the past; one already finished (its timer) is left out.
     */
    private List<SendOperation> stillWaiting(List<SendOperation> candidates) {
        long now = producer.clock().nanoTime();
        List<SendOperation> live = null;
        for (int i = 0, n = candidates.size(); i < n; i++) {
            SendOperation op = candidates.get(i);
            boolean expired = op.deadlineNanos() - now <= 0;
            if (expired) {
                op.expireWhileWaiting(QueueDispatcher.waitedPastDeadline(queue));
            }
            if (expired || op.isDone()) {
                if (live == null) {
                    live = new ArrayList<>(candidates.subList(0, i));
                }
            } else if (live != null) {
                live.add(op);
            }
        }
        return live == null ? candidates : live;
    }

    /** The bytes {@code payload} takes in a batch body. */
    static int recordSize(Payload payload) {
        return BatchBody.recordSize(payload.body().length, payload.properties().utf8Length());
    }

    @Override
    public int length() {
        return bodyLength;
    }

    @Override
    public void writeTo(ByteBuf out) {
        for (int i = 0, n = members.size(); i < n; i++) {
            Payload p = members.get(i).payload();
            BatchBody.writeRecord(out, p.flag(), p.body(), p.properties());
        }
    }

    /** Event loop: the broker stored the whole batch. */
    @Override
    void stored(SendStatus status, RemotingCommand response) {
        answered();
        producer.runCallback(() -> {
            dispatcher.release(false);
            succeedAll(status, response);
        });
    }

    /** Event loop, timer or writer: the batch failed as a whole. */
    @Override
    void failed(MQException error, boolean retryable) {
        answered();
        failAll(error, retryable);
    }

    private void failAll(MQException error, boolean retryable) {
        producer.runCallback(() -> {
            dispatcher.release(false);
            for (int i = 0, n = members.size(); i < n; i++) {
                members.get(i).batchFailed(error, retryable);
            }
        });
    }

    private void succeedAll(SendStatus status, RemotingCommand response) {
        MessageQueue written = SendResponse.writtenQueue(response.extFields(), members.get(0).payload().userTopic(),
                queue);
        long firstOffset = response.longField(SendResponse.QUEUE_OFFSET, -1);
        String offsetIds = response.field(SendResponse.MSG_ID);
        int from = 0;
        for (int i = 0, n = members.size(); i < n; i++) {
            SendOperation member = members.get(i);
            member.batchSucceeded(SendResponse.batchMemberResult(status, member.payload().messageIds(),
                    SendResponse.offsetIdAt(offsetIds, from), written, firstOffset, i));
            from = SendResponse.nextOffsetId(offsetIds, from);
        }
    }
}
