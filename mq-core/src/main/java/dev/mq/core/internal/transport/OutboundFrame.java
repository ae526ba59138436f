package dev.mq.core.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A command to write: a request (sync or oneway) or a response to a broker-initiated request.
 * The opaque is assigned by the connection that writes it.
 */
public final class OutboundFrame {

    static final int FLAG_RESPONSE = 0x1;
    static final int FLAG_ONEWAY = 0x2;

    private final int code;
    private final int flag;
    private final CommandHeader header;
    private final byte @Nullable [] body;
    private final @Nullable FrameBody bodyWriter;
    private final @Nullable String remark;
    private final int responseOpaque;

    private OutboundFrame(int code, int flag, CommandHeader header, byte @Nullable [] body,
                          @Nullable FrameBody bodyWriter, @Nullable String remark,
                          int responseOpaque) {
        this.code = code;
        this.flag = flag;
        this.header = Objects.requireNonNull(header, "header");
        this.body = body;
        this.bodyWriter = bodyWriter;
        this.remark = remark;
        this.responseOpaque = responseOpaque;
    }

    /** A request expecting a response. */
    public static OutboundFrame request(int code, CommandHeader header, byte @Nullable [] body) {
        return new OutboundFrame(code, 0, header, body, null, null, 0);
    }

    /** A request expecting a response, whose body is written straight into the frame. */
    public static OutboundFrame requestWithBodyWriter(int code, CommandHeader header, FrameBody body) {
        return new OutboundFrame(code, 0, header, null, Objects.requireNonNull(body, "body"), null, 0);
    }

    /** A request the receiver must not answer. */
    public static OutboundFrame oneway(int code, CommandHeader header, byte @Nullable [] body) {
        return new OutboundFrame(code, FLAG_ONEWAY, header, body, null, null, 0);
    }

    /** A response to an inbound request with {@code opaque}. */
    public static OutboundFrame response(int opaque, int code, @Nullable String remark) {
        return new OutboundFrame(code, FLAG_RESPONSE, CommandHeader.EMPTY, null, null, remark, opaque);
    }

    /** A response to an inbound request with {@code opaque}, carrying {@code body}. */
    public static OutboundFrame response(int opaque, int code, @Nullable String remark, byte @Nullable [] body) {
        return new OutboundFrame(code, FLAG_RESPONSE, CommandHeader.EMPTY, body, null, remark, opaque);
    }

    /** The same frame with another header and the body as an array (used by request signing). */
    OutboundFrame signed(CommandHeader newHeader, byte @Nullable [] bodyBytes) {
        return new OutboundFrame(code, flag, newHeader, bodyBytes, null, remark, responseOpaque);
    }

    public int code() {
        return code;
    }

    public int flag() {
        return flag;
    }

    public boolean isOneway() {
        return (flag & FLAG_ONEWAY) != 0;
    }

    boolean isResponse() {
        return (flag & FLAG_RESPONSE) != 0;
    }

    public CommandHeader header() {
        return header;
    }

    /** The body, or null; a {@link FrameBody} is written out into a new array. */
    public byte @Nullable [] body() {
        if (bodyWriter == null) {
            return body;
        }
        byte[] bytes = new byte[bodyWriter.length()];
        bodyWriter.writeTo(Unpooled.wrappedBuffer(bytes).writerIndex(0));
        return bytes;
    }

    public int bodyLength() {
        return bodyWriter != null ? bodyWriter.length() : body == null ? 0 : body.length;
    }

    /** Writes the body (if any) to {@code out}. */
    void writeBody(ByteBuf out) {
        if (bodyWriter != null) {
            bodyWriter.writeTo(out);
        } else if (body != null) {
            out.writeBytes(body);
        }
    }

    public @Nullable String remark() {
        return remark;
    }

    int responseOpaque() {
        return responseOpaque;
    }
}
