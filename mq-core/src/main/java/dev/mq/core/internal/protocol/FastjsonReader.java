package dev.mq.core.internal.protocol;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the JSON dialect fastjson writes for maps keyed by objects, which standard parsers refuse:
 * {@code {"offsetTable":{{"brokerName":"b","queueId":1,"topic":"T"}:7}}}. Values become
 * {@link Map} (keys of any value type, in order), {@link List}, {@link String}, {@link Long} (or
 * {@link BigDecimal} for other numbers), {@link Boolean} or null. Also takes unquoted names and
 * single-quoted strings, as fastjson does. Bounded nesting, so hostile input cannot exhaust the stack.
 */
final class FastjsonReader {

    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private FastjsonReader(String text) {
        this.text = text;
    }

    /**
     * The one value {@code json} holds.
     *
     * @throws IllegalArgumentException if it is not that dialect, or has anything after the value
     */
    static @Nullable Object read(byte[] json) {
        FastjsonReader reader = new FastjsonReader(new String(json, StandardCharsets.UTF_8));
        Object value = reader.value(0);
        reader.skipSpace();
        if (reader.pos != reader.text.length()) {
            throw reader.error("unexpected content after the value");
        }
        return value;
    }

    private @Nullable Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"', '\'' -> string(c);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                String word = word();
                yield switch (word) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    case "null" -> null;
                    default -> throw error("unexpected '" + (word.isEmpty() ? String.valueOf(c) : word) + "'");
                };
            }
        };
    }

    private Map<@Nullable Object, @Nullable Object> object(int depth) {
        pos++; // {
        Map<@Nullable Object, @Nullable Object> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            char c = peek();
            Object key = c == '{' || c == '[' || c == '"' || c == '\'' || c == '-' || (c >= '0' && c <= '9')
                    ? value(depth + 1) : word();
            if (key instanceof String s && s.isEmpty() && c != '"' && c != '\'') {
                throw error("expected a name");
            }
            skipSpace();
            expect(':');
            map.put(key, value(depth + 1));
            skipSpace();
            char next = next();
            if (next == '}') {
                return map;
            }
            if (next != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<@Nullable Object> array(int depth) {
        pos++; // [
        List<@Nullable Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value(depth + 1));
            skipSpace();
            char next = next();
            if (next == ']') {
                return list;
            }
            if (next != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string(char quote) {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == quote) {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("truncated \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text, pos, pos + 4, 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> out.append(e); // \" \\ \/ \'
            }
        }
    }

    private Object number() {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String digits = text.substring(start, pos);
        try {
            BigDecimal n = new BigDecimal(digits);
            try {
                return n.longValueExact();
            } catch (ArithmeticException notLong) {
                return n;
            }
        } catch (NumberFormatException e) {
            throw error("bad number '" + digits + "'");
        }
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                || text.charAt(pos) == '$')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at character " + pos);
    }
}
