package dev.mq.core.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Splits the byte stream into frames (16 MiB cap, as every RocketMQ server and client uses) and
 * decodes each into a {@link RemotingCommand}, whichever header type it carries: JSON (type 0) or
 * RocketMQ's binary header (type 1). Anything malformed raises {@link CorruptedFrameException}; the
 * connection handler then closes the channel, which fails its in-flight requests.
 *
 * <p>Each frame is decoded where it lies in the received bytes, between its bounds, rather than
 * through Netty's {@code LengthFieldBasedFrameDecoder}: that one hands every frame on as a retained
 * slice, an object per answer on the event loop that is released again right after decoding (the
 * send path's allocation benchmark, {@code SendPathBenchmark}, counted it). For the same reason the
 * JSON header reader is one per connection, used again for every answer.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    /**
     * Largest frame accepted, RocketMQ's {@code frameMaxLength}: it counts the whole frame including its
     * 4-byte length field (as RocketMQ's servers count it), so the length field itself may say at most
     * {@code MAX_FRAME_LENGTH - 4}. A larger length is refused as soon as the length field arrives,
     * before anything is buffered for it.
     */
    public static final int MAX_FRAME_LENGTH = 16 * 1024 * 1024;

    private static final int LENGTH_FIELD = 4;
    private static final int SERIALIZE_JSON = 0;
    private static final int SERIALIZE_ROCKETMQ = 1;
    /** Where headers of direct buffers are copied to be read; headers up to 64 KiB reuse it. */
    private static final ScratchArray SCRATCH = new ScratchArray(1024, 64 * 1024);
    private static final IntPredicate NO_BODY_BUFFERS = opaque -> false;

    /** Whether the response with a given opaque keeps its body as the received buffer. */
    private final IntPredicate takesBodyBuffer;
    /** This connection's header reader: the decoder runs on the channel's event loop only. */
    private final JsonHeaderReader reader = new JsonHeaderReader();
    /** Set once a frame was refused: the stream has no frame boundary left to trust. */
    private boolean failed;

    public FrameDecoder() {
        this(NO_BODY_BUFFERS);
    }

    /**
     * @param takesBodyBuffer asked (on the event loop) for each response with a body: whether the request
     *                        it answers takes the body as the received buffer instead of a copy
     */
    FrameDecoder(IntPredicate takesBodyBuffer) {
        this.takesBodyBuffer = takesBodyBuffer;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            // The connection is closing on the failure reported; whatever else arrives is dropped.
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < LENGTH_FIELD) {
            return;
        }
        int start = in.readerIndex();
        long length = in.getUnsignedInt(start);
        if (length > MAX_FRAME_LENGTH - LENGTH_FIELD) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw new TooLongFrameException("frame length " + (length + LENGTH_FIELD) + " exceeds "
                    + MAX_FRAME_LENGTH);
        }
        if (in.readableBytes() - LENGTH_FIELD < length) {
            return; // the rest of the frame has not arrived yet
        }
        int frameEnd = start + LENGTH_FIELD + (int) length;
        in.readerIndex(start + LENGTH_FIELD);
        try {
            out.add(decodeFrame(in, frameEnd, takesBodyBuffer, reader));
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        } finally {
            // Past the frame whatever was read of it, as the frame slice's release used to leave it.
            in.readerIndex(frameEnd);
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
        return decodeFrame(frame, frame.writerIndex(), takesBodyBuffer, new JsonHeaderReader());
    }

    /** The frame in {@code buf[readerIndex, frameEnd)}; leaves the reader index at {@code frameEnd}. */
    private static RemotingCommand decodeFrame(ByteBuf frame, int frameEnd, IntPredicate takesBodyBuffer,
            JsonHeaderReader reader) {
        if (frameEnd - frame.readerIndex() < 4) {
            throw new CorruptedFrameException("frame of " + (frameEnd - frame.readerIndex())
                    + " bytes has no header word");
        }
        int headerWord = frame.readInt();
        int type = (headerWord >>> 24) & 0xFF;
        int headerLength = headerWord & 0xFFFFFF;
        if (headerLength > frameEnd - frame.readerIndex()) {
            throw new CorruptedFrameException("header length " + headerLength + " exceeds the frame ("
                    + (frameEnd - frame.readerIndex()) + " bytes left)");
        }
        RemotingCommand command = switch (type) {
            // Read where it lies: a slice of the header would be an object per response.
            case SERIALIZE_JSON -> decodeJson(frame, frame.readerIndex(), headerLength, reader);
            case SERIALIZE_ROCKETMQ -> decodeBinary(frame.slice(frame.readerIndex(), headerLength), null);
            default -> throw new CorruptedFrameException("unknown header serialize type " + type);
        };
        frame.skipBytes(headerLength);
        int bodyLength = frameEnd - frame.readerIndex();
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
    private static RemotingCommand decodeJson(ByteBuf frame, int index, int length, JsonHeaderReader reader) {
        if (frame.hasArray()) {
            return reader.decode(frame.array(), frame.arrayOffset() + index, length, null);
        }
        byte[] bytes = SCRATCH.get(length);
        frame.getBytes(index, bytes, 0, length);
        return reader.decode(bytes, 0, length, null);
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
