package dev.mq.core.internal.protocol;

import java.util.Objects;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The CONSUMER_SEND_MSG_BACK header: the broker reloads the failed message by its commit-log offset
 * and stores a copy in {@code %RETRY%<group>} (or {@code %DLQ%<group>}).
 *
 * @param offset the message's physical (commit-log) offset, not its queue offset
 * @param delayLevel 0 lets the broker pick 3 + reconsumeTimes; above 0 that level; below 0 straight to the DLQ
 * @param originMsgId the message id (UNIQ_KEY), for the broker's hooks and traces
 * @param originTopic the topic as delivered
 * @param maxReconsumeTimes the client's limit; honoured by brokers only from request version 121 on,
 *     else the group's {@code retryMaxTimes} (16) applies
 * @param brokerName sent as {@code bname} when known
 */
public record ConsumerSendMsgBackHeader(long offset, String group, int delayLevel, @Nullable String originMsgId,
                                        @Nullable String originTopic, @Nullable Integer maxReconsumeTimes,
                                        @Nullable String brokerName) implements RequestFields {

    /** Let the broker choose the delay from the message's reconsume count. */
    public static final int DELAY_CHOSEN_BY_BROKER = 0;
    /** Any negative level sends the message to the dead-letter queue at once. */
    public static final int DELAY_TO_DLQ = -1;

    public ConsumerSendMsgBackHeader {
        Objects.requireNonNull(group, "group");
    }

    @Override
    public void writeFields(BiConsumer<String, String> sink) {
        sink.accept("offset", Long.toString(offset));
        sink.accept("group", group);
        sink.accept("delayLevel", Integer.toString(delayLevel));
        if (originMsgId != null) {
            sink.accept("originMsgId", originMsgId);
        }
        if (originTopic != null) {
            sink.accept("originTopic", originTopic);
        }
        // Always sent, as the official client does: true would make the broker treat the group as a "unit".
        sink.accept("unitMode", "false");
        if (maxReconsumeTimes != null) {
            sink.accept("maxReconsumeTimes", maxReconsumeTimes.toString());
        }
        if (brokerName != null) {
            sink.accept("bname", brokerName);
        }
    }
}
