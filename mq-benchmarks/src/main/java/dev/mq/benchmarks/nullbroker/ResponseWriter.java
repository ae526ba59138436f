package dev.mq.benchmarks.nullbroker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** Writes the null broker's response frames (JSON header, optional body). */
final class ResponseWriter {

    private static final byte[] CODE = ascii("{\"code\":");
    private static final byte[] SEND_FIELDS = ascii(",\"extFields\":{\"msgId\":\"");
    private static final byte[] QUEUE_ID = ascii("\",\"queueId\":\"");
    private static final byte[] QUEUE_OFFSET = ascii("\",\"queueOffset\":\"");
    private static final byte[] FIELDS_END = ascii("\"}");
    private static final byte[] FLAG_OPAQUE = ascii(",\"flag\":1,\"language\":\"JAVA\",\"opaque\":");
    private static final byte[] REMARK = ascii(",\"remark\":\"");
    private static final byte[] TAIL = ascii(",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":479}");
    private static final byte[] HEX = ascii("0123456789ABCDEF");

    /** The first 16 hex characters of every offset message id: this broker's address. */
    private final byte[] msgIdPrefix;

    ResponseWriter(int port) {
        this.msgIdPrefix = ascii(String.format("7F000001%08X", port));
    }

    /**
     * The answer to a send of {@code messages} messages: code 0 with {@code msgId} (one offset message
     * id per message, comma-separated, as a broker answers a batch), {@code queueId} and the first
     * {@code queueOffset}.
     */
    ByteBuf sendOk(ByteBufAllocator alloc, int opaque, String queueId, long queueOffset, int messages) {
        ByteBuf out = alloc.ioBuffer(160 + 33 * messages);
        int start = begin(out);
        out.writeBytes(CODE).writeByte('0');
        out.writeBytes(SEND_FIELDS);
        for (int i = 0; i < messages; i++) {
            if (i > 0) {
                out.writeByte(',');
            }
            out.writeBytes(msgIdPrefix);
            long offset = queueOffset + i;
            for (int shift = 60; shift >= 0; shift -= 4) {
                out.writeByte(HEX[(int) (offset >>> shift) & 0xF]);
            }
        }
        out.writeBytes(QUEUE_ID);
        writeAscii(out, queueId == null ? "0" : queueId);
        out.writeBytes(QUEUE_OFFSET);
        writeAscii(out, Long.toString(queueOffset));
        out.writeBytes(FIELDS_END);
        out.writeBytes(FLAG_OPAQUE);
        writeAscii(out, Integer.toString(opaque));
        out.writeBytes(TAIL);
        return end(out, start, null);
    }

    /** Any other answer: {@code code}, an optional ASCII remark and an optional body. */
    ByteBuf response(ByteBufAllocator alloc, int opaque, int code, String remark, byte[] body) {
        ByteBuf out = alloc.ioBuffer(160 + (body == null ? 0 : body.length));
        int start = begin(out);
        out.writeBytes(CODE);
        writeAscii(out, Integer.toString(code));
        out.writeBytes(FLAG_OPAQUE);
        writeAscii(out, Integer.toString(opaque));
        if (remark != null) {
            out.writeBytes(REMARK);
            writeAscii(out, remark.replace('"', '\''));
            out.writeByte('"');
        }
        out.writeBytes(TAIL);
        return end(out, start, body);
    }

    private static int begin(ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0).writeInt(0);
        return start;
    }

    private static ByteBuf end(ByteBuf out, int start, byte[] body) {
        int headerLength = out.writerIndex() - start - 8;
        if (body != null) {
            out.writeBytes(body);
        }
        out.setInt(start, out.writerIndex() - start - 4);
        out.setInt(start + 4, headerLength); // serialize type JSON (0) in the high byte
        return out;
    }

    private static void writeAscii(ByteBuf out, String s) {
        out.writeCharSequence(s, StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
