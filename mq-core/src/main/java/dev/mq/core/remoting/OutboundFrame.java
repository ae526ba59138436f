package dev.mq.core.remoting;

import java.util.Objects;

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
    private final byte[] body;
    private final String remark;
    private final int responseOpaque;

    private OutboundFrame(int code, int flag, CommandHeader header, byte[] body, String remark, int responseOpaque) {
        this.code = code;
        this.flag = flag;
        this.header = Objects.requireNonNull(header, "header");
        this.body = body;
        this.remark = remark;
        this.responseOpaque = responseOpaque;
    }

    /** A request expecting a response. */
    public static OutboundFrame request(int code, CommandHeader header, byte[] body) {
        return new OutboundFrame(code, 0, header, body, null, 0);
    }

    /** A request the receiver must not answer. */
    public static OutboundFrame oneway(int code, CommandHeader header, byte[] body) {
        return new OutboundFrame(code, FLAG_ONEWAY, header, body, null, 0);
    }

    /** A response to an inbound request with {@code opaque}. */
    public static OutboundFrame response(int opaque, int code, String remark) {
        return new OutboundFrame(code, FLAG_RESPONSE, CommandHeader.EMPTY, null, remark, opaque);
    }

    /** The same frame with another header (used by request signing). */
    OutboundFrame withHeader(CommandHeader newHeader) {
        return new OutboundFrame(code, flag, newHeader, body, remark, responseOpaque);
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

    /** The body, or null. */
    public byte[] body() {
        return body;
    }

    public int bodyLength() {
        return body == null ? 0 : body.length;
    }

    public String remark() {
        return remark;
    }

    int responseOpaque() {
        return responseOpaque;
    }
}
