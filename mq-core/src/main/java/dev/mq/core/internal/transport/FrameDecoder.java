package dev.mq.core.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Splits the byte stream into frames (16 MiB cap, as every RocketMQ server and client uses) and
 * decodes each into a {@link RemotingCommand}, whichever header type it carries: JSON (type 0) or
 * RocketMQ's binary header (type 1). Anything malformed raises {@link CorruptedFrameException}; the
 * connection handler then closes the channel, which fails its in-flight requests.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {

    /**
     * Largest frame accepted, RocketMQ's {@code frameMaxLength}: it counts the whole frame including its
     * 4-byte length field (Netty's {@code LengthFieldBasedFrameDecoder}, which RocketMQ's servers use the
     * same way), so the length field itself may say at most {@code MAX_FRAME_LENGTH - 4}. A larger
     * length is refused as soon as the length field arrives, before anything is buffered for it.
     */
    public static final int MAX_FRAME_LENGTH = 16 * 1024 * 1024;

    private static final int SERIALIZE_JSON = 0;
    private static final int SERIALIZE_ROCKETMQ = 1;
    /** Where headers of direct buffers are copied to be read; headers up to 64 KiB reuse it. */
    private static final ScratchArray SCRATCH = new ScratchArray(1024, 64 * 1024);
    private static final IntPredicate NO_BODY_BUFFERS = opaque -> false;

    /** Whether the response with a given opaque keeps its body as the received buffer. */
    private final IntPredicate takesBodyBuffer;

    public FrameDecoder() {
        this(NO_BODY_BUFFERS);
    }

    /**
     * @param takesBodyBuffer asked (on the event loop) for each response with a body: whether the request
     *                        it answers takes the body as the received buffer instead of a copy
     */
    FrameDecoder(IntPredicate takesBodyBuffer) {
        super(MAX_FRAME_LENGTH, 0, 4, 0, 4);
        this.takesBodyBuffer = takesBodyBuffer;
    }

    @Override
    protected @Nullable Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        ByteBuf frame = (ByteBuf) super.decode(ctx, in);
        if (frame == null) {
            return null;
        }
        try {
            return decodeFrame(frame, takesBodyBuffer);
        } finally {
            frame.release();
        }
    }

    /** Decodes one frame without its leading length field; the body is copied out. */
    public static RemotingCommand decodeFrame(ByteBuf frame) {
        return decodeFrame(frame, NO_BODY_BUFFERS);
    }

    /**
     * Decodes one frame without its leading length field. The body of a response whose opaque
     * {@code takesBodyBuffer} accepts stays in the frame's memory: the command holds a retained slice.
     */
    static RemotingCommand decodeFrame(ByteBuf frame, IntPredicate takesBodyBuffer) {
        if (frame.readableBytes() < 4) {
            throw new CorruptedFrameException("frame of " + frame.readableBytes() + " bytes has no header word");
        }
        int headerWord = frame.readInt();
        int type = (headerWord >>> 24) & 0xFF;
        int headerLength = headerWord & 0xFFFFFF;
        if (headerLength > frame.readableBytes()) {
            throw new CorruptedFrameException("header length " + headerLength + " exceeds the frame ("
                    + frame.readableBytes() + " bytes left)");
        }
        RemotingCommand command = switch (type) {
            // Read where it lies: a slice of the header would be an object per response.
            case SERIALIZE_JSON -> decodeJson(frame, frame.readerIndex(), headerLength);
            case SERIALIZE_ROCKETMQ -> decodeBinary(frame.slice(frame.readerIndex(), headerLength), null);
            default -> throw new CorruptedFrameException("unknown header serialize type " + type);
        };
        frame.skipBytes(headerLength);
        int bodyLength = frame.readableBytes();
        if (bodyLength > 0) {
            if (command.isResponse() && takesBodyBuffer.test(command.opaque())) {
                command.holdBody(frame.readRetainedSlice(bodyLength));
            } else {
                byte[] body = new byte[bodyLength];
                frame.readBytes(body);
                command.holdBody(body);
            }
        }
        return command;
    }

    /** The JSON header in {@code frame[index, index + length)}. */
    private static RemotingCommand decodeJson(ByteBuf frame, int index, int length) {
        if (frame.hasArray()) {
            return JsonHeaderReader.read(frame.array(), frame.arrayOffset() + index, length, null);
        }
        byte[] bytes = SCRATCH.get(length);
        frame.getBytes(index, bytes, 0, length);
        return JsonHeaderReader.read(bytes, 0, length, null);
    }

    private static RemotingCommand decodeBinary(ByteBuf h, byte @Nullable [] body) {
        try {
            int code = h.readShort();
            int languageCode = h.readByte();
            int version = h.readShort();
            int opaque = h.readInt();
            int flag = h.readInt();
            String remark = readString(h, h.readInt());
            int extLength = h.readInt();
            @Nullable Map<String, String> extFields = null;
            if (extLength > 0) {
                if (extLength > h.readableBytes()) {
                    throw new CorruptedFrameException("extFields length " + extLength + " exceeds the header");
                }
                ByteBuf ext = h.readSlice(extLength);
                extFields = new HashMap<>();
                while (ext.isReadable()) {
                    String key = readString(ext, ext.readShort());
                    String value = readString(ext, ext.readInt());
                    extFields.put(key, value);
                }
            }
            return new RemotingCommand(code, LanguageCodes.name(languageCode), version, opaque, flag, remark,
                    extFields, body);
        } catch (IndexOutOfBoundsException e) {
            throw new CorruptedFrameException("truncated binary header", e);
        }
    }

    private static @Nullable String readString(ByteBuf buf, int length) {
        if (length < 0 || length > buf.readableBytes()) {
            throw new CorruptedFrameException("string length " + length + " exceeds the header");
        }
        if (length == 0) {
            return null;
        }
        String s = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
        buf.skipBytes(length);
        return s;
    }
}
