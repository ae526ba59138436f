package dev.mq.core.internal.transport;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** JSON string literals written as UTF-8 straight into a buffer. */
final class JsonStrings {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Where a string is escaped before one copy into the frame; escaped forms up to 64 KiB reuse it. */
    private static final ScratchArray SCRATCH = new ScratchArray(512, 64 * 1024);

    private JsonStrings() {
    }

    /** Writes {@code "s"} with quotes, backslashes and control characters (e.g. property separators) escaped. */
    static void write(ByteBuf out, String s) {
        out.writeByte('"');
        writeContent(out, s);
        out.writeByte('"');
    }

    /** Writes {@code s} escaped as inside a JSON string literal, without the quotes. */
    static void writeContent(ByteBuf out, String s) {
        int length = s.length();
        if (isPlainAscii(s, length)) { // the usual case: one bulk copy instead of a call per byte
            out.writeCharSequence(s, StandardCharsets.US_ASCII);
            return;
        }
        // Escaping goes into a plain array and then into the buffer with one copy: a ByteBuf call per
        // byte (each checking bounds and the reference count) cost more than the rest of the header.
        int worstCase = worstCaseBytes(s, length);
        byte[] b = SCRATCH.get(worstCase);
        int i = 0;
        for (int k = 0; k < length; k++) {
            char c = s.charAt(k);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    b[i++] = '\\';
                }
                b[i++] = (byte) c;
            } else if (c < 0x20) {
                b[i++] = '\\';
                b[i++] = 'u';
                b[i++] = '0';
                b[i++] = '0';
                b[i++] = HEX[c >> 4];
                b[i++] = HEX[c & 0xF];
            } else if (c < 0x800) {
                b[i++] = (byte) (0xC0 | (c >> 6));
                b[i++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && k + 1 < length && Character.isLowSurrogate(s.charAt(k + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++k));
                b[i++] = (byte) (0xF0 | (cp >> 18));
                b[i++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[i++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[i++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                b[i++] = '?'; // a lone surrogate has no UTF-8 form
            } else {
                b[i++] = (byte) (0xE0 | (c >> 12));
                b[i++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[i++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        out.writeBytes(b, 0, i);
    }

    /** Writes control character {@code c} (below 0x20) as its six-byte JSON escape. */
    static void writeControl(ByteBuf out, char c) {
        out.ensureWritable(6);
        out.writeByte('\\');
        out.writeByte('u');
        out.writeByte('0');
        out.writeByte('0');
        out.writeByte(HEX[c >> 4]);
        out.writeByte(HEX[c & 0xF]);
    }

    /** Whether every char of {@code s} is printable ASCII that JSON takes as it is. */
    private static boolean isPlainAscii(String s, int length) {
        for (int k = 0; k < length; k++) {
            char c = s.charAt(k);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Upper bound of the bytes {@link #write} produces for {@code s}, quotes excluded. */
    private static int worstCaseBytes(String s, int length) {
        int bytes = length;
        for (int k = 0; k < length; k++) {
            char c = s.charAt(k);
            if (c < 0x20) {
                bytes += 5; // a six-byte escape sequence
            } else if (c == '"' || c == '\\') {
                bytes += 1;
            } else if (c >= 0x80) {
                bytes += 2; // up to 3 UTF-8 bytes per char (a surrogate pair: 4 bytes for 2 chars)
            }
        }
        return bytes;
    }

    static void writeAscii(ByteBuf out, String s) {
        out.writeCharSequence(s, StandardCharsets.US_ASCII);
    }
}
