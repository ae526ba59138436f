package dev.mq.core.internal.transport;

import dev.mq.core.testing.Gen;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Builds valid and deliberately broken frames for the codec property and fuzz tests. */
final class Frames {

    private Frames() {
    }

    /** A frame as we would write it, and everything a decoder should give back. */
    record Sample(OutboundFrame frame, int opaque, Map<String, String> fields) {

        @Override
        public String toString() {
            return "Sample[code=" + frame.code() + ", flag=" + frame.flag() + ", opaque=" + opaque + ", remark="
                    + frame.remark() + ", fields=" + fields + ", bodyBytes=" + frame.bodyLength() + "]";
        }
    }

    /** A random request, oneway request or response with random header fields, remark and body. */
    static Sample randomSample(Random r) {
        int opaque = Gen.anInt(r);
        int code = Gen.anInt(r);
        byte[] body = r.nextBoolean() ? null : Gen.bytes(r, 2048);
        return switch (r.nextInt(3)) {
            case 0 -> {
                Map<String, String> fields = Gen.textMap(r, 12, 24);
                yield new Sample(OutboundFrame.request(code, CommandHeader.of(fields), body), opaque, fields);
            }
            case 1 -> {
                Map<String, String> fields = Gen.textMap(r, 12, 24);
                yield new Sample(OutboundFrame.oneway(code, CommandHeader.of(fields), body), opaque, fields);
            }
            default -> new Sample(OutboundFrame.response(opaque, code, r.nextBoolean() ? null : Gen.text(r, 200)),
                    opaque, Map.of());
        };
    }

    /** The bytes {@link FrameEncoder} writes for {@code sample}. */
    static byte[] encode(Sample sample) {
        ByteBuf buf = FrameEncoder.encode(sample.frame(), sample.opaque(), io.netty.buffer.ByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /**
     * A frame with RocketMQ's binary header (serialize type 1), laid out as the fact sheet describes:
     * int16 code, byte language, int16 version, int32 opaque, int32 flag, int32 remark length + remark,
     * int32 map length + (int16 key length, key, int32 value length, value)*.
     */
    static byte[] binaryFrame(int code, int language, int version, int opaque, int flag, String remark,
                              Map<String, String> fields, byte[] body) {
        ByteBuf header = Unpooled.buffer();
        header.writeShort(code).writeByte(language).writeShort(version).writeInt(opaque).writeInt(flag);
        writeString(header, remark, true);
        ByteBuf map = Unpooled.buffer();
        fields.forEach((k, v) -> {
            writeString(map, k, false);
            writeString(map, v, true);
        });
        header.writeInt(map.readableBytes()).writeBytes(map);
        int bodyLength = body == null ? 0 : body.length;
        ByteBuf out = Unpooled.buffer();
        out.writeInt(4 + header.readableBytes() + bodyLength);
        out.writeInt((1 << 24) | header.readableBytes());
        out.writeBytes(header);
        if (body != null) {
            out.writeBytes(body);
        }
        return ByteBufUtil.getBytes(out);
    }

    private static void writeString(ByteBuf out, String s, boolean intLength) {
        byte[] b = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
        if (intLength) {
            out.writeInt(b.length);
        } else {
            out.writeShort(b.length);
        }
        out.writeBytes(b);
    }

    /** An outer frame (length, JSON type, header) around {@code headerJson}, plus an optional body. */
    static byte[] jsonFrame(String headerJson, byte[] body) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        int bodyLength = body == null ? 0 : body.length;
        ByteBuf out = Unpooled.buffer();
        out.writeInt(4 + header.length + bodyLength).writeInt(header.length).writeBytes(header);
        if (body != null) {
            out.writeBytes(body);
        }
        return ByteBufUtil.getBytes(out);
    }

    /** A random JSON value up to {@code depth} levels deep, sometimes holding header-like keys. */
    static String randomJson(Random r, int depth) {
        int kind = r.nextInt(depth > 0 ? 9 : 6);
        return switch (kind) {
            case 0 -> Integer.toString(Gen.anInt(r));
            case 1 -> Long.toString(r.nextLong());
            case 2 -> r.nextBoolean() ? "1.5e3" : "-0.25";
            case 3 -> quote(Gen.text(r, 16));
            case 4 -> r.nextBoolean() ? "true" : "null";
            case 5 -> r.nextBoolean() ? "\"12\"" : "99999999999999999999999";
            case 6, 7 -> {
                StringBuilder sb = new StringBuilder("{");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append(quote(headerKey(r))).append(':').append(randomJson(r, depth - 1));
                }
                yield sb.append('}').toString();
            }
            default -> {
                StringBuilder sb = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append(randomJson(r, depth - 1));
                }
                yield sb.append(']').toString();
            }
        };
    }

    static String headerKey(Random r) {
        String[] keys = {"code", "opaque", "flag", "version", "language", "remark", "extFields",
            "serializeTypeCurrentRPC", "x"};
        return r.nextInt(5) == 0 ? Gen.text(r, 6) : keys[r.nextInt(keys.length)];
    }

    /** A JSON string literal, escaping what JSON requires. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** Applies one to four random byte-level mutations to {@code frame}. */
    static byte[] mutate(Random r, byte[] frame) {
        byte[] b = frame.clone();
        int mutations = 1 + r.nextInt(4);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            switch (r.nextInt(6)) {
                case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                case 2 -> {
                    if (b.length >= 4) {
                        int at = r.nextInt(b.length - 3);
                        int v = switch (r.nextInt(5)) {
                            case 0 -> -1;
                            case 1 -> Integer.MAX_VALUE;
                            case 2 -> 0;
                            case 3 -> r.nextInt(64);
                            default -> Integer.MIN_VALUE;
                        };
                        b[at] = (byte) (v >>> 24);
                        b[at + 1] = (byte) (v >>> 16);
                        b[at + 2] = (byte) (v >>> 8);
                        b[at + 3] = (byte) v;
                    }
                }
                case 3 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 4 -> {
                    int at = r.nextInt(b.length + 1);
                    byte[] extra = Gen.bytes(r, 16);
                    byte[] grown = new byte[b.length + extra.length];
                    System.arraycopy(b, 0, grown, 0, at);
                    System.arraycopy(extra, 0, grown, at, extra.length);
                    System.arraycopy(b, at, grown, at + extra.length, b.length - at);
                    b = grown;
                }
                default -> {
                    int from = r.nextInt(b.length);
                    int to = from + r.nextInt(b.length - from);
                    byte[] cut = new byte[b.length - (to - from)];
                    System.arraycopy(b, 0, cut, 0, from);
                    System.arraycopy(b, to, cut, from, b.length - to);
                    b = cut;
                }
            }
        }
        if (b.length >= 4 && r.nextBoolean()) {
            // Make the length field agree with what follows, so the decoder has to read the header.
            int len = b.length - 4;
            b[0] = (byte) (len >>> 24);
            b[1] = (byte) (len >>> 16);
            b[2] = (byte) (len >>> 8);
            b[3] = (byte) len;
        }
        return b;
    }

    /** Fields with null values dropped, as the encoder skips them. */
    static Map<String, String> nonNull(Map<String, String> fields) {
        Map<String, String> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }
}
