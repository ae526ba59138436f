package dev.mq.benchmarks.ours;

import dev.mq.benchmarks.harness.MessageSpec;
import dev.mq.core.Message;
import dev.mq.core.internal.transport.CommandHeader;

/** The benchmark's message as mq-core sees it, and a SEND_MESSAGE_V2 header like the one mq-core writes. */
public final class OursMessages {

    private OursMessages() {
    }

    public static Message message(String topic, byte[] body) {
        return Message.builder(topic).tags(MessageSpec.TAGS).keys(MessageSpec.KEYS)
                .property(MessageSpec.PROPERTY_NAME, MessageSpec.PROPERTY_VALUE).body(body).build();
    }

    /** The fields (and one-letter names) of mq-core's SEND_MESSAGE_V2 header, with fixed values. */
    public static CommandHeader sendHeader(String group, String topic, String properties, long bornTimestamp) {
        return w -> {
            w.field("a", group);
            w.field("b", topic);
            w.field("c", "TBW102");
            w.field("d", 4);
            w.field("e", 0);
            w.field("f", 0);
            w.field("g", bornTimestamp);
            w.field("h", 0);
            w.field("i", properties);
            w.field("j", 0);
            w.field("k", false);
            w.field("m", false);
            w.field("n", "broker-a");
        };
    }
}
