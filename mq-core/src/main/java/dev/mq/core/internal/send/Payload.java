package dev.mq.core.internal.send;

import dev.mq.core.Message;
import dev.mq.core.internal.protocol.OutgoingProperties;
import java.util.List;

/**
 * A message (or batch) validated and encoded once, before the first attempt: retries resend the
 * same bytes and the same message ids.
 *
 * @param userTopic    the topic as the user named it
 * @param wireTopic    the topic on the wire (with the namespace prefix, if any)
 * @param body         the body to send: compressed, or the encoded batch
 * @param properties   the property string for header field {@code i}, written straight into the frame
 * @param sysFlag      compression bits
 * @param flag         the user flag
 * @param batch        whether this is a SEND_BATCH_MESSAGE
 * @param messageIds   the UNIQ_KEY of each message
 * @param first        the (first) message, for queue selectors
 * @param userBytes    body bytes as given by the user, before compression
 * @param reply        whether this is a reply to a request (SEND_REPLY_MESSAGE_V2, never batched)
 */
record Payload(String userTopic, String wireTopic, byte[] body, OutgoingProperties properties,
               int sysFlag, int flag, boolean batch, List<String> messageIds, Message first, long userBytes,
               boolean reply) {

    Payload(String userTopic, String wireTopic, byte[] body, OutgoingProperties properties,
            int sysFlag, int flag, boolean batch, List<String> messageIds, Message first, long userBytes) {
        this(userTopic, wireTopic, body, properties, sysFlag, flag, batch, messageIds, first, userBytes, false);
    }

    /** The same message with {@code properties} (a request's or reply's fields added) and {@code reply}. */
    Payload withProperties(String userTopic, String wireTopic, OutgoingProperties properties, boolean reply) {
        return new Payload(userTopic, wireTopic, body, properties, sysFlag, flag, batch, messageIds, first, userBytes,
                reply);
    }

    /** Bytes counted against the in-flight cap: what goes on the wire, near enough. */
    int wireBytes() {
        return body.length + properties.utf8Length();
    }
}
