package dev.mq.benchmarks.nullbroker;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The few fields of a JSON remoting header the null broker acts on, read straight from the frame's
 * bytes: {@code code}, {@code opaque}, {@code flag}, and from {@code extFields} the topic (of a route
 * request) and the queue id (of a send, {@code e} in the V2 header, {@code queueId} in the V1 one).
 * Everything else is skipped without building strings.
 */
final class RequestHeader {

    private static final byte[] CODE = ascii("code");
    private static final byte[] OPAQUE = ascii("opaque");
    private static final byte[] FLAG = ascii("flag");
    private static final byte[] EXT_FIELDS = ascii("extFields");
    private static final byte[] TOPIC = ascii("topic");
    private static final byte[] TOPIC_V2 = ascii("b");
    private static final byte[] QUEUE_ID_V2 = ascii("e");
    private static final byte[] QUEUE_ID_V1 = ascii("queueId");

    int code;
    int opaque;
    int flag;
    String topic;
    String queueId;

    private final ByteBuf in;
    private int pos;
    private final int end;

    private RequestHeader(ByteBuf in, int start, int end) {
        this.in = in;
        this.pos = start;
        this.end = end;
    }

    /** Reads the JSON header in {@code in[start, end)}. */
    static RequestHeader parse(ByteBuf in, int start, int end) {
        RequestHeader header = new RequestHeader(in, start, end);
        header.readTop();
        return header;
    }

    boolean isOneway() {
        return (flag & 0x2) != 0;
    }

    private void readTop() {
        expect('{');
        if (peekSkippingSpace() == '}') {
            return;
        }
        while (true) {
            int keyStart = stringStart();
            int keyEnd = stringEnd(keyStart);
            expect(':');
            if (is(keyStart, keyEnd, CODE)) {
                code = readInt();
            } else if (is(keyStart, keyEnd, OPAQUE)) {
                opaque = readInt();
            } else if (is(keyStart, keyEnd, FLAG)) {
                flag = readInt();
            } else if (is(keyStart, keyEnd, EXT_FIELDS) && peekSkippingSpace() == '{') {
                readExtFields();
            } else {
                skipValue();
            }
            if (!nextMember()) {
                return;
            }
        }
    }

    private void readExtFields() {
        expect('{');
        if (peekSkippingSpace() == '}') {
            pos++;
            return;
        }
        while (true) {
            int keyStart = stringStart();
            int keyEnd = stringEnd(keyStart);
            expect(':');
            if (is(keyStart, keyEnd, TOPIC) || is(keyStart, keyEnd, TOPIC_V2)) {
                topic = readString();
            } else if (is(keyStart, keyEnd, QUEUE_ID_V2) || is(keyStart, keyEnd, QUEUE_ID_V1)) {
                queueId = readString();
            } else {
                skipValue();
            }
            if (!nextMember()) {
                return;
            }
        }
    }

    /** Consumes ',' (true) or the closing '}' (false). */
    private boolean nextMember() {
        byte b = peekSkippingSpace();
        pos++;
        if (b == ',') {
            return true;
        }
        if (b == '}') {
            return false;
        }
        throw error("',' or '}'");
    }

    private int stringStart() {
        expect('"');
        return pos;
    }

    /** Moves past the string that starts at {@code start}; returns the index of its closing quote. */
    private int stringEnd(int start) {
        pos = start;
        while (pos < end) {
            byte b = in.getByte(pos);
            if (b == '\\') {
                pos += 2;
            } else if (b == '"') {
                return pos++;
            } else {
                pos++;
            }
        }
        throw error("end of string");
    }

    private String readString() {
        if (peekSkippingSpace() != '"') {
            int start = pos;
            skipValue();
            return in.toString(start, pos - start, StandardCharsets.UTF_8).trim();
        }
        int start = stringStart();
        int close = stringEnd(start);
        return in.toString(start, close - start, StandardCharsets.UTF_8);
    }

    private int readInt() {
        byte b = peekSkippingSpace();
        boolean negative = b == '-';
        if (negative) {
            pos++;
        }
        long value = 0;
        while (pos < end && (b = in.getByte(pos)) >= '0' && b <= '9') {
            value = value * 10 + (b - '0');
            pos++;
        }
        return (int) (negative ? -value : value);
    }

    private void skipValue() {
        byte b = peekSkippingSpace();
        if (b == '"') {
            stringEnd(stringStart());
            return;
        }
        if (b == '{' || b == '[') {
            int depth = 0;
            while (pos < end) {
                b = in.getByte(pos);
                if (b == '"') {
                    stringEnd(pos + 1);
                    continue;
                }
                pos++;
                if (b == '{' || b == '[') {
                    depth++;
                } else if ((b == '}' || b == ']') && --depth == 0) {
                    return;
                }
            }
            throw error("end of value");
        }
        while (pos < end && (b = in.getByte(pos)) != ',' && b != '}' && b != ']') {
            pos++;
        }
    }

    private byte peekSkippingSpace() {
        while (pos < end) {
            byte b = in.getByte(pos);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b;
            }
            pos++;
        }
        throw error("more input");
    }

    private void expect(char c) {
        if (peekSkippingSpace() != c) {
            throw error("'" + c + "'");
        }
        pos++;
    }

    private boolean is(int start, int endExclusive, byte[] name) {
        if (endExclusive - start != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (in.getByte(start + i) != name[i]) {
                return false;
            }
        }
        return true;
    }

    private IllegalArgumentException error(String wanted) {
        return new IllegalArgumentException("bad JSON header: expected " + wanted + " at offset " + pos);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
