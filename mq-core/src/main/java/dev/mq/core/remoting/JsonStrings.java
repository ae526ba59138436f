package dev.mq.core.remoting;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** JSON string literals written as UTF-8 straight into a buffer. */
final class JsonStrings {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private JsonStrings() {
    }

    /** Writes {@code "s"} with quotes, backslashes and control characters (e.g. property separators) escaped. */
    static void write(ByteBuf out, String s) {
        int length = s.length();
        if (isPlainAscii(s, length)) { // the usual case: one bulk copy instead of a call per byte
            out.ensureWritable(length + 2);
            out.writeByte('"');
            out.writeCharSequence(s, StandardCharsets.US_ASCII);
            out.writeByte('"');
            return;
        }
        // Reserving the exact worst case once lets the loop use unchecked setByte; reserving 6 bytes per
        // char instead made small frames outgrow their buffer and reallocate.
        out.ensureWritable(worstCaseBytes(s, length) + 2);
        int i = out.writerIndex();
        out.setByte(i++, '"');
        for (int k = 0; k < length; k++) {
            char c = s.charAt(k);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    out.setByte(i++, '\\');
                }
                out.setByte(i++, c);
            } else if (c < 0x20) {
                out.setByte(i++, '\\');
                out.setByte(i++, 'u');
                out.setByte(i++, '0');
                out.setByte(i++, '0');
                out.setByte(i++, HEX[c >> 4]);
                out.setByte(i++, HEX[c & 0xF]);
            } else if (c < 0x800) {
                out.setByte(i++, 0xC0 | (c >> 6));
                out.setByte(i++, 0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && k + 1 < length && Character.isLowSurrogate(s.charAt(k + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++k));
                out.setByte(i++, 0xF0 | (cp >> 18));
                out.setByte(i++, 0x80 | ((cp >> 12) & 0x3F));
                out.setByte(i++, 0x80 | ((cp >> 6) & 0x3F));
                out.setByte(i++, 0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                out.setByte(i++, '?'); // a lone surrogate has no UTF-8 form
            } else {
                out.setByte(i++, 0xE0 | (c >> 12));
                out.setByte(i++, 0x80 | ((c >> 6) & 0x3F));
                out.setByte(i++, 0x80 | (c & 0x3F));
            }
        }
        out.setByte(i++, '"');
        out.writerIndex(i);
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
