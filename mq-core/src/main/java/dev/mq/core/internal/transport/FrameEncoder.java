package dev.mq.core.internal.transport;

import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.protocol.OutgoingProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes a whole frame — {@code int32 length | int32 (type<<24 | headerLength) | JSON header | body} —
 * into one pooled buffer. The JSON header is produced by hand, field by field, straight into the
 * buffer: no reflection, no intermediate strings or maps. The body is copied once, from the caller's
 * array into the (direct) buffer the socket writes from; a heap array cannot reach an NIO socket
 * with fewer copies.
 */
public final class FrameEncoder {

    /** The {@code version} we announce: RocketMQ 5.3.3's ordinal, so servers use standard JSON and GO_AWAY. */
    public static final int PROTOCOL_VERSION = 479;

    private static final byte[] CODE = ascii("{\"code\":");
    private static final byte[] EXT_FIELDS = ascii(",\"extFields\":{");
    private static final byte[] FLAG = ascii(",\"flag\":");
    private static final byte[] LANGUAGE_OPAQUE = ascii(",\"language\":\"JAVA\",\"opaque\":");
    private static final byte[] REMARK = ascii(",\"remark\":");
    private static final byte[] TAIL = ascii(",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":"
            + PROTOCOL_VERSION + "}");

    private FrameEncoder() {
    }

    /** Encodes {@code frame} with {@code opaque} into a new buffer from {@code alloc}. */
    public static ByteBuf encode(OutboundFrame frame, int opaque, ByteBufAllocator alloc) {
        int bodyLength = frame.bodyLength();
        ByteBuf out = alloc.ioBuffer(256 + bodyLength);
        try {
            int start = out.writerIndex();
            out.writeInt(0); // total length, patched below
            out.writeInt(0); // header word, patched below
            int headerStart = out.writerIndex();
            writeHeader(frame, opaque, out);
            int headerLength = out.writerIndex() - headerStart;
            if (bodyLength > 0) {
                frame.writeBody(out);
            }
            out.setInt(start, 4 + headerLength + bodyLength);
            out.setInt(start + 4, headerLength); // serialize type JSON = 0 in the high byte
            return out;
        } catch (RuntimeException | Error e) { // a body writer may fail either way: the buffer goes back both times
            out.release();
            throw e;
        }
    }

    private static void writeHeader(OutboundFrame frame, int opaque, ByteBuf out) {
        out.writeBytes(CODE);
        writeDigits(out, frame.code());
        out.writeBytes(EXT_FIELDS);
        JsonFieldWriter fields = new JsonFieldWriter(out);
        frame.header().writeTo(fields);
        out.writeByte('}');
        out.writeBytes(FLAG);
        writeDigits(out, frame.flag());
        out.writeBytes(LANGUAGE_OPAQUE);
        writeDigits(out, frame.isResponse() ? frame.responseOpaque() : opaque);
        if (frame.remark() != null) {
            out.writeBytes(REMARK);
            JsonStrings.write(out, frame.remark());
        }
        out.writeBytes(TAIL);
    }

    /** Writes {@code value} in decimal without building a String (header numbers, once per field per send). */
    static void writeDigits(ByteBuf out, long value) {
        if (value == Long.MIN_VALUE) {
            JsonStrings.writeAscii(out, Long.toString(value));
            return;
        }
        if (value < 0) {
            out.writeByte('-');
            value = -value;
        }
        if (value < 10) {
            out.writeByte((int) ('0' + value));
            return;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        out.ensureWritable(digits);
        int end = out.writerIndex() + digits;
        for (int i = end - 1; i >= out.writerIndex(); i--) {
            out.setByte(i, (int) ('0' + value % 10));
            value /= 10;
        }
        out.writerIndex(end);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@code "name":"value"} pairs separated by commas. It is also the sink a message's
     * property string is written into, piece by piece and escaped as it goes, so that the string is
     * never built (see {@link OutgoingProperties}) and writing it costs no object of its own.
     */
    private static final class JsonFieldWriter implements HeaderWriter, MessageProperties.Sink {

        private final ByteBuf out;
        private boolean first = true;

        JsonFieldWriter(ByteBuf out) {
            this.out = out;
        }

        @Override
        public void field(String name, String value) {
            if (value == null) {
                return;
            }
            name(name);
            JsonStrings.write(out, value);
        }

        @Override
        public void field(String name, OutgoingProperties value) {
            name(name);
            out.writeByte('"');
            value.writeTo(this);
            out.writeByte('"');
        }

        @Override
        public void text(String s) {
            JsonStrings.writeContent(out, s);
        }

        @Override
        public void separator(char c) {
            if (c < 0x20) {
                JsonStrings.writeControl(out, c);
            } else {
                out.writeByte(c);
            }
        }

        /** Starts a field: the comma before all but the first, the name and its colon. */
        private void name(String name) {
            if (!first) {
                out.writeByte(',');
            }
            first = false;
            JsonStrings.write(out, name);
            out.writeByte(':');
        }

        // extFields values are JSON strings even for numbers: "e":"3".
        @Override
        public void field(String name, int value) {
            field(name, (long) value);
        }

        @Override
        public void field(String name, long value) {
            name(name);
            out.writeByte('"');
            writeDigits(out, value);
            out.writeByte('"');
        }
    }
}
