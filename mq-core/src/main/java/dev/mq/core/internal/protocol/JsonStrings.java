package dev.mq.core.internal.protocol;

/**
 * Writes JSON string literals into a {@link StringBuilder}, for the few small JSON documents the
 * client writes by hand (heartbeats, request headers) where a data-binding pass would be slower
 * and less predictable in its output.
 */
final class JsonStrings {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonStrings() {
    }

    /**
     * Appends {@code value} in double quotes, escaping {@code "}, {@code \} and control characters
     * (short forms where JSON has them, {@code \}{@code u00XX} otherwise). Other characters,
     * non-ASCII included, are written as they are.
     */
    public static StringBuilder appendQuoted(StringBuilder sb, String value) {
        sb.append('"');
        int len = value.length();
        int clean = 0;
        for (int i = 0; i < len; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            // Copy the run of plain characters in one call.
            sb.append(value, clean, i);
            clean = i + 1;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        sb.append(value, clean, len);
        return sb.append('"');
    }
}
