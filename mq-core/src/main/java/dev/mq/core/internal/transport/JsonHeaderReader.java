package dev.mq.core.internal.transport;

import dev.mq.core.internal.protocol.SendResponse;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Reads the JSON header of a frame: one flat object per response, read on the event loop, so it is
 * read here in one pass over the bytes instead of through a general JSON parser (which cost a
 * parser, a copy of the header and a string per token on every answer).
 *
 * <p>The input is checked as strict JSON (RFC 8259), including the values it skips. The header's
 * own fields are {@code code}, {@code version}, {@code opaque}, {@code flag} (integers, or strings
 * holding one), {@code language}, {@code remark} (scalars) and {@code extFields} (an object whose
 * scalar values are kept as text); anything else is skipped. A nested object or array where a
 * scalar belongs is refused rather than read on, so that nothing nested can pass for a header
 * field. Field names and common values are returned as shared constants.
 */
final class JsonHeaderReader {

    /** The numbers below this are returned as shared strings. */
    private static final int SMALL_NUMBERS = 32;
    /** Deeper nesting than this in a skipped value is refused (it keeps the reader's stack bounded). */
    private static final int MAX_DEPTH = 256;
    /**
     * Names and values that appear in nearly every header, returned without allocating: the frame's
     * own, and those the protocol says its most frequent answers carry.
     */
    private static final List<String> COMMON = Stream.of(
            Stream.of("code", "extFields", "flag", "language", "opaque", "remark", "serializeTypeCurrentRPC",
                    "version", "JSON", "JAVA"),
            SendResponse.FREQUENT_STRINGS.stream(),
            // Small numbers, such as the queue id of every send answer.
            IntStream.range(0, SMALL_NUMBERS).mapToObj(Integer::toString)).flatMap(s -> s).toList();
    /** {@link #COMMON} by length, so that a string is compared only with the names of its own length. */
    private static final String[][] COMMON_BY_LENGTH =
            new String[COMMON.stream().mapToInt(String::length).max().orElse(0) + 1][];

    static {
        for (String name : COMMON) {
            String[] same = COMMON_BY_LENGTH[name.length()];
            String[] grown = same == null ? new String[1] : Arrays.copyOf(same, same.length + 1);
            grown[grown.length - 1] = name;
            COMMON_BY_LENGTH[name.length()] = grown;
        }
    }

    private static final byte[] NOTHING = new byte[0];

    private byte[] in = NOTHING;
    private int end;
    private int pos;

    /**
     * A reader to be used again for header after header by one thread at a time: the frame decoder
     * keeps one per connection, so that an answer costs no reader object of its own on the event loop.
     */
    JsonHeaderReader() {
    }

    /** Decodes the header in {@code in[offset, offset + length)} into a command carrying {@code body}. */
    static RemotingCommand read(byte[] in, int offset, int length, byte @Nullable [] body) {
        return new JsonHeaderReader().decode(in, offset, length, body);
    }

    /**
     * As {@link #read}, with this reader; not to be called by two threads at once. The input is let go
     * afterwards, so that a reader kept for reuse does not keep a received buffer's memory alive.
     */
    RemotingCommand decode(byte[] in, int offset, int length, byte @Nullable [] body) {
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
        try {
            return command(body);
        } catch (ArrayIndexOutOfBoundsException e) { // defensive: every read is bounds-checked against end
            throw corrupt("truncated JSON header");
        } finally {
            this.in = NOTHING;
        }
    }

    private RemotingCommand command(byte @Nullable [] body) {
        int code = 0;
        int version = 0;
        int opaque = 0;
        int flag = 0;
        @Nullable String language = null;
        @Nullable String remark = null;
        @Nullable Map<String, String> extFields = null;
        skipWhitespace();
        if (next() != '{') {
            throw corrupt("JSON header is not an object");
        }
        if (!closes('}')) {
            do {
                String name = nameAndColon();
                switch (name) {
                    case "code" -> code = intValue(name);
                    case "version" -> version = intValue(name);
                    case "opaque" -> opaque = intValue(name);
                    case "flag" -> flag = intValue(name);
                    case "language" -> language = scalar(name);
                    case "remark" -> remark = scalar(name);
                    case "extFields" -> extFields = fields();
                    default -> skipValue(0);
                }
            } while (more('}'));
        }
        return new RemotingCommand(code, language, version, opaque, flag, remark, extFields, body);
    }

    // ---- the header's values ----

    private @Nullable Map<String, String> fields() {
        skipWhitespace();
        if (peek() == 'n') {
            literal("null");
            return null;
        }
        if (next() != '{') {
            throw corrupt("extFields is not an object");
        }
        HeaderFields fields = new HeaderFields();
        if (!closes('}')) {
            do {
                String name = nameAndColon();
                skipWhitespace();
                byte c = peek();
                if (c == '{' || c == '[') {
                    skipValue(1);
                } else if (!quotedNumber(fields, name)) {
                    fields.add(name, scalarText());
                }
            } while (more('}'));
        }
        return fields;
    }

    /**
     * At a string of 3 to 18 plain digits without a leading zero (a queue offset): adds it to
     * {@code fields} as a number, without a String, and moves past it. Anything else is left as it
     * is, for {@link #scalarText}; such a string reads back as the same text either way.
     */
    private boolean quotedNumber(HeaderFields fields, String name) {
        if (in[pos] != '"') {
            return false;
        }
        int first = pos + 1;
        int i = first;
        long value = 0;
        while (i < end && isDigit(in[i])) {
            value = value * 10 + (in[i] - '0');
            i++;
        }
        int digits = i - first;
        if (i >= end || in[i] != '"' || digits < 3 || digits > 18 || in[first] == '0') {
            return false;
        }
        pos = i + 1;
        fields.addNumber(name, value);
        return true;
    }

    /** A scalar as text (null for JSON null); an object or array is refused. */
    private @Nullable String scalar(String name) {
        skipWhitespace();
        byte c = peek();
        if (c == '{' || c == '[') {
            throw corrupt("header field '" + name + "' is not a string");
        }
        return scalarText();
    }

    private int intValue(String name) {
        skipWhitespace();
        byte c = peek();
        if (c == '"') {
            String text = string();
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw corrupt("header field '" + name + "' is not an integer");
            }
        }
        if (c == '-' || isDigit(c)) {
            int start = pos;
            boolean integral = number();
            if (integral) {
                long value = parseLong(start, pos);
                if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                    return (int) value;
                }
            }
        }
        throw corrupt("header field '" + name + "' is not an integer");
    }

    /** Parses the digits of a JSON integer; beyond 19 digits it saturates, which the caller refuses. */
    private long parseLong(int start, int stop) {
        boolean negative = in[start] == '-';
        int i = negative ? start + 1 : start;
        if (stop - i > 18) {
            return Long.MAX_VALUE;
        }
        long value = 0;
        for (; i < stop; i++) {
            value = value * 10 + (in[i] - '0');
        }
        return negative ? -value : value;
    }

    private @Nullable String scalarText() {
        byte c = peek();
        switch (c) {
            case '"':
                return string();
            case 'n':
                literal("null");
                return null;
            case 't':
                literal("true");
                return "true";
            case 'f':
                literal("false");
                return "false";
            default:
                if (c == '-' || isDigit(c)) {
                    int start = pos;
                    number();
                    return new String(in, start, pos - start, StandardCharsets.US_ASCII);
                }
                throw corrupt("unexpected character " + describe(c) + " at " + pos);
        }
    }

    // ---- JSON grammar ----

    private String nameAndColon() {
        skipWhitespace();
        if (peek() != '"') {
            throw corrupt("expected a field name at " + pos);
        }
        String name = string();
        skipWhitespace();
        if (next() != ':') {
            throw corrupt("expected ':' after field name at " + pos);
        }
        return name;
    }

    /** After '{' or '[': true (and consumed) if the container closes at once. */
    private boolean closes(char close) {
        skipWhitespace();
        if (peek() == close) {
            pos++;
            return true;
        }
        return false;
    }

    /** After a member: true on ',' (another follows), false on the closing bracket. */
    private boolean more(char close) {
        skipWhitespace();
        byte c = next();
        if (c == ',') {
            return true;
        }
        if (c == close) {
            return false;
        }
        throw corrupt("expected ',' or '" + close + "' at " + (pos - 1) + ", found " + describe(c));
    }

    private void skipValue(int depth) {
        if (depth > MAX_DEPTH) {
            throw corrupt("JSON header nests deeper than " + MAX_DEPTH);
        }
        skipWhitespace();
        byte c = peek();
        if (c == '{') {
            pos++;
            if (!closes('}')) {
                do {
                    nameAndColon();
                    skipValue(depth + 1);
                } while (more('}'));
            }
        } else if (c == '[') {
            pos++;
            if (!closes(']')) {
                do {
                    skipValue(depth + 1);
                } while (more(']'));
            }
        } else {
            scalarText();
        }
    }

    /**
     * A JSON number (the grammar checked, as a general parser would); returns whether it is an
     * integer (no fraction, no exponent).
     */
    private boolean number() {
        if (peek() == '-') {
            pos++;
        }
        byte c = next();
        if (c == '0') {
            if (pos < end && isDigit(in[pos])) {
                throw corrupt("leading zero in a number at " + (pos - 1));
            }
        } else if (isDigit(c)) {
            digits();
        } else {
            throw corrupt("malformed number at " + (pos - 1));
        }
        boolean integral = true;
        if (pos < end && in[pos] == '.') {
            pos++;
            requireDigit();
            integral = false;
        }
        if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            requireDigit();
            integral = false;
        }
        return integral;
    }

    private void requireDigit() {
        if (pos >= end || !isDigit(in[pos])) {
            throw corrupt("malformed number at " + pos);
        }
        digits();
    }

    private void digits() {
        while (pos < end && isDigit(in[pos])) {
            pos++;
        }
    }

    private void literal(String word) {
        int n = word.length();
        if (end - pos < n) {
            throw corrupt("truncated JSON header");
        }
        for (int i = 0; i < n; i++) {
            if (in[pos + i] != word.charAt(i)) {
                throw corrupt("unexpected token at " + pos);
            }
        }
        pos += n;
    }

    /** A JSON string at {@code pos} (which holds its opening quote). */
    private String string() {
        int start = ++pos;
        while (true) {
            if (pos >= end) {
                throw corrupt("unterminated string at " + (start - 1));
            }
            byte c = in[pos];
            if (c == '"') {
                pos++;
                return plain(start, pos - 1 - start);
            }
            if (c == '\\') {
                return escaped(start);
            }
            if ((c & 0xFF) < 0x20) {
                throw corrupt("unescaped control character in a string at " + pos);
            }
            pos++;
        }
    }

    /** The bytes of a string without escapes: a shared constant when it is a common name. */
    private String plain(int start, int length) {
        String[] candidates = length < COMMON_BY_LENGTH.length ? COMMON_BY_LENGTH[length] : null;
        if (candidates != null) {
            for (String candidate : candidates) {
                if (sameChars(candidate, start, length)) {
                    return candidate;
                }
            }
        }
        return new String(in, start, length, StandardCharsets.UTF_8);
    }

    private boolean sameChars(String candidate, int start, int length) {
        for (int i = 0; i < length; i++) {
            if (candidate.charAt(i) != in[start + i]) {
                return false;
            }
        }
        return true;
    }

    /** The rest of a string with escapes, from its first character at {@code start}. */
    private String escaped(int start) {
        StringBuilder sb = new StringBuilder(new String(in, start, pos - start, StandardCharsets.UTF_8));
        int runStart = pos;
        while (true) {
            if (pos >= end) {
                throw corrupt("unterminated string at " + (start - 1));
            }
            byte c = in[pos];
            if (c == '"') {
                sb.append(new String(in, runStart, pos - runStart, StandardCharsets.UTF_8));
                pos++;
                return sb.toString();
            }
            if ((c & 0xFF) < 0x20) {
                throw corrupt("unescaped control character in a string at " + pos);
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            sb.append(new String(in, runStart, pos - runStart, StandardCharsets.UTF_8));
            pos++;
            byte e = next();
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(hex4());
                default -> throw corrupt("bad escape \\" + describe(e) + " at " + (pos - 2));
            }
            runStart = pos;
        }
    }

    private char hex4() {
        if (end - pos < 4) {
            throw corrupt("truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(in[pos++], 16);
            if (digit < 0) {
                throw corrupt("bad \\u escape at " + (pos - 1));
            }
            value = value << 4 | digit;
        }
        return (char) value;
    }

    // ---- bytes ----

    private void skipWhitespace() {
        while (pos < end) {
            byte c = in[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private byte peek() {
        if (pos >= end) {
            throw corrupt("truncated JSON header");
        }
        return in[pos];
    }

    private byte next() {
        byte c = peek();
        pos++;
        return c;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static String describe(byte c) {
        return c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("0x%02X", c & 0xFF);
    }

    private static CorruptedFrameException corrupt(String message) {
        return new CorruptedFrameException("malformed JSON header: " + message);
    }
}
