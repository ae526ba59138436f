package dev.mq.core.internal.send;

import dev.mq.core.internal.protocol.OutgoingProperties;
import dev.mq.core.internal.protocol.SystemTopics;
import dev.mq.core.internal.transport.CommandHeader;
import dev.mq.core.internal.transport.HeaderWriter;

/**
 * The SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE request header with its one-letter field names, written
 * field by field ({@link #write}). An automatic batch's attempt holds its header in one of these; a
 * single send's attempt is its own header and writes the same fields ({@link SendOperation#writeTo}).
 */
final class SendMessageHeader implements CommandHeader {

    private final String group;
    private final String topic;
    private final int queueId;
    private final int sysFlag;
    private final long bornTimestamp;
    private final int flag;
    private final OutgoingProperties properties;
    private final boolean batch;
    private final String brokerName;

    SendMessageHeader(String group, String topic, int queueId, int sysFlag, long bornTimestamp, int flag,
                      OutgoingProperties properties, boolean batch, String brokerName) {
        this.group = group;
        this.topic = topic;
        this.queueId = queueId;
        this.sysFlag = sysFlag;
        this.bornTimestamp = bornTimestamp;
        this.flag = flag;
        this.properties = properties;
        this.batch = batch;
        this.brokerName = brokerName;
    }

    @Override
    public void writeTo(HeaderWriter w) {
        write(w, group, topic, queueId, sysFlag, bornTimestamp, flag, properties, batch, brokerName);
    }

    /** Writes the header's fields, in the order and with the names brokers read. */
    static void write(HeaderWriter w, String group, String topic, int queueId, int sysFlag, long bornTimestamp,
                      int flag, OutgoingProperties properties, boolean batch, String brokerName) {
        w.field("a", group);
        w.field("b", topic);
        w.field("c", SystemTopics.AUTO_CREATE_TEMPLATE);
        w.field("d", SystemTopics.AUTO_CREATE_QUEUES);
        w.field("e", queueId);
        w.field("f", sysFlag);
        w.field("g", bornTimestamp);
        w.field("h", flag);
        w.field("i", properties);
        w.field("j", 0);
        w.field("k", false);
        w.field("m", batch);
        w.field("n", brokerName);
    }
}
