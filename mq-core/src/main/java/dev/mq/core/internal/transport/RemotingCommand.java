package dev.mq.core.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Collections;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A decoded frame: a response to one of our requests, or a request initiated by the server. Its body is
 * an array, or — for a response whose callback {@linkplain ResponseCallback#takesBodyBuffer() takes it
 * so} — the received buffer itself, which that callback reads and then {@linkplain #release() releases}.
 */
public final class RemotingCommand {

    private final int code;
    private final @Nullable String language;
    private final int version;
    private final int opaque;
    private final int flag;
    private final @Nullable String remark;
    private final Map<String, String> extFields;
    /** Given to the constructor, or set by the frame decoder before the command is handed to anyone. */
    private byte @Nullable [] body;
    /** Set by the frame decoder alone, before the command is handed to anyone. */
    private @Nullable ByteBuf bodyBuffer;

    public RemotingCommand(int code, @Nullable String language, int version, int opaque, int flag,
                           @Nullable String remark, @Nullable Map<String, String> extFields, byte @Nullable [] body) {
        this.code = code;
        this.language = language;
        this.version = version;
        this.opaque = opaque;
        this.flag = flag;
        this.remark = remark;
        this.extFields = extFields == null ? Collections.emptyMap() : extFields;
        this.body = body;
    }

    public int code() {
        return code;
    }

    public @Nullable String language() {
        return language;
    }

    public int version() {
        return version;
    }

    public int opaque() {
        return opaque;
    }

    public int flag() {
        return flag;
    }

    public boolean isResponse() {
        return (flag & OutboundFrame.FLAG_RESPONSE) != 0;
    }

    public boolean isOneway() {
        return (flag & OutboundFrame.FLAG_ONEWAY) != 0;
    }

    /** The remark (error text in responses), or null. */
    public @Nullable String remark() {
        return remark;
    }

    /** Header fields; never null. */
    public Map<String, String> extFields() {
        return extFields;
    }

    public @Nullable String field(String name) {
        return extFields.get(name);
    }

    /**
     * Header field {@code name} as a number, read as {@link Long#parseLong} reads its text, or
     * {@code absent} when it is missing or no number. A decoded header answers without a String.
     */
    public long longField(String name, long absent) {
        if (extFields instanceof HeaderFields fields) {
            return fields.longValue(name, absent);
        }
        return HeaderFields.parseLong(extFields.get(name), absent);
    }

    /**
     * The body, or null when the frame had none. A body held as the received buffer is copied out on
     * every call (before {@link #release()} only): who takes the buffer reads {@link #bodyBuffer()}.
     */
    public byte @Nullable [] body() {
        ByteBuf buffer = bodyBuffer;
        return buffer != null ? ByteBufUtil.getBytes(buffer) : body;
    }

    /**
     * The body as the connection received it, for a response whose callback takes it
     * ({@link ResponseCallback#takesBodyBuffer}); null otherwise, and when the frame had no body. Valid
     * until {@link #release()}.
     */
    public @Nullable ByteBuf bodyBuffer() {
        return bodyBuffer;
    }

    /** Frame decoder: the body is {@code buffer}, a retained slice of the frame that this command now owns. */
    void holdBody(ByteBuf buffer) {
        this.bodyBuffer = buffer;
    }

    /** Frame decoder: the body, copied out of the frame. */
    void holdBody(byte[] body) {
        this.body = body;
    }

    /**
     * Gives back the received buffer of the body, if the command holds one; nothing otherwise. Once only,
     * by whoever owns the command: the callback that takes the buffer, or the transport when nobody does.
     */
    public void release() {
        ByteBuf buffer = bodyBuffer;
        if (buffer != null) {
            bodyBuffer = null;
            buffer.release();
        }
    }

    @Override
    public String toString() {
        return "RemotingCommand[code=" + code + ", opaque=" + opaque + ", flag=" + flag + ", remark=" + remark
                + ", extFields=" + extFields.keySet() + ", bodyBytes="
                + (bodyBuffer != null ? bodyBuffer.readableBytes() : body == null ? 0 : body.length) + "]";
    }
}
