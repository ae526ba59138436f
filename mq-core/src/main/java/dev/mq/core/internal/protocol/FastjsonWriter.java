package dev.mq.core.internal.protocol;

import dev.mq.core.MessageQueue;

/**
 * Writes the pieces of fastjson's dialect Jackson cannot: a map keyed by a queue object. Values are
 * written by the protocol's mapper, so strings are escaped as JSON requires.
 */
final class FastjsonWriter {

    private FastjsonWriter() {
    }

    /** A queue as a map key, its fields in fastjson's (alphabetical) order. */
    static void queueKey(StringBuilder out, MessageQueue queue) {
        out.append("{\"brokerName\":").append(json(queue.brokerName()))
                .append(",\"queueId\":").append(queue.queueId())
                .append(",\"topic\":").append(json(queue.topic())).append('}');
    }

    /** {@code value} as JSON. */
    static String json(Object value) {
        return ProtocolJson.MAPPER.writeValueAsString(value);
    }
}
