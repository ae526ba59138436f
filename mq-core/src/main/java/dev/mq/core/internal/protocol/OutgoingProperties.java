package dev.mq.core.internal.protocol;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The property string of one outgoing message (send header field {@code i}), kept as the message it
 * comes from and written where it is needed — JSON-escaped into the request header, or as UTF-8 into
 * a batch record — instead of being built as a String first: building it cost a {@code StringBuilder}
 * and the String copied out of it on every send (about 300 B for a message with a tag, a key and one
 * property; {@code SendPathBenchmark} in docs/performance.md), only to be copied a third time into
 * the frame. Its pieces are the message's (immutable) strings, so writing it twice — a retry, or the
 * request signature — writes the same bytes.
 *
 * <p>Its UTF-8 length is counted once, here, without encoding: it is checked against the wire's
 * int16 limit before anything is sent and counted against the in-flight byte cap. The object is its
 * own counting sink while it is built (one object for both).
 */
public final class OutgoingProperties implements MessageProperties.Sink {

    private final @Nullable Message message;
    private final @Nullable String uniqKey;
    private final boolean wait;
    /** Pairs already encoded after the message's own (a request's, a reply's, a half's); the whole string without a message. */
    private final String suffix;
    private int utf8Length;
    private boolean ascii = true;

    private OutgoingProperties(@Nullable Message message, @Nullable String uniqKey, boolean wait, String suffix) {
        this.message = message;
        this.uniqKey = uniqKey;
        this.wait = wait;
        this.suffix = suffix;
        writeTo(this); // counts
        if (utf8Length > MessageProperties.MAX_UTF8_LENGTH) {
            throw MQException.validation("message properties are " + utf8Length + " bytes in UTF-8 (tags, keys and"
                    + " properties together): at most " + MessageProperties.MAX_UTF8_LENGTH + " are allowed");
        }
    }

    /**
     * The properties of {@code message} as {@link MessageProperties#encode(Message, String, boolean)}
     * lays them out. The message must have passed {@link Validation#checkMessage}.
     *
     * @throws MQException VALIDATION when they exceed {@link MessageProperties#MAX_UTF8_LENGTH} in UTF-8
     */
    public static OutgoingProperties of(Message message, @Nullable String uniqKey, boolean wait) {
        return new OutgoingProperties(message, uniqKey, wait, "");
    }

    /** An already encoded property string (a batch's header field). */
    public static OutgoingProperties ofEncoded(String encoded) {
        return new OutgoingProperties(null, null, false, encoded);
    }

    /** These properties followed by the encoded pairs {@code encodedPairs} (e.g. {@link MessageProperties#requestFields}). */
    public OutgoingProperties plus(String encodedPairs) {
        return new OutgoingProperties(message, uniqKey, wait, suffix + encodedPairs);
    }

    /** Writes the string's pieces into {@code sink}, in wire order. */
    public void writeTo(MessageProperties.Sink sink) {
        if (message != null) {
            MessageProperties.write(message, uniqKey, wait, sink);
        }
        if (!suffix.isEmpty()) {
            sink.text(suffix);
        }
    }

    /** The length in UTF-8, as {@link MessageProperties#utf8Length} of the whole string. */
    public int utf8Length() {
        return utf8Length;
    }

    /**
     * Writes the string as UTF-8 into {@code out} ({@link #utf8Length()} bytes): pieces straight into
     * the buffer when all are ASCII (the usual case), else through the JDK's encoder, which agrees
     * with {@link MessageProperties#utf8Length} on unpaired surrogates where Netty's does not.
     */
    public void writeUtf8(ByteBuf out) {
        if (!ascii) {
            out.writeBytes(toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        writeTo(new MessageProperties.Sink() {
            @Override
            public void text(String s) {
                out.writeCharSequence(s, StandardCharsets.US_ASCII);
            }

            @Override
            public void separator(char c) {
                out.writeByte(c);
            }
        });
    }

    /** The whole property string. */
    @Override
    public String toString() {
        if (message == null) {
            return suffix;
        }
        return MessageProperties.encode(message, uniqKey, wait) + suffix;
    }

    // ---- counting, while this is built ----

    /** Counting only: see the class comment. */
    @Override
    public void text(String s) {
        int length = s.length();
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                utf8Length += MessageProperties.utf8Length(s);
                return;
            }
        }
        utf8Length += length;
    }

    /** Counting only: see the class comment. */
    @Override
    public void separator(char c) {
        utf8Length++;
    }
}
