package dev.mq.core.internal.transport;

import java.util.Collections;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A decoded frame: a response to one of our requests, or a request initiated by the server. */
public final class RemotingCommand {

    private final int code;
    private final @Nullable String language;
    private final int version;
    private final int opaque;
    private final int flag;
    private final @Nullable String remark;
    private final Map<String, String> extFields;
    private final byte @Nullable [] body;

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

    /** The body, or null when the frame had none. */
    public byte @Nullable [] body() {
        return body;
    }

    @Override
    public String toString() {
        return "RemotingCommand[code=" + code + ", opaque=" + opaque + ", flag=" + flag + ", remark=" + remark
                + ", extFields=" + extFields.keySet() + ", bodyBytes=" + (body == null ? 0 : body.length) + "]";
    }
}
