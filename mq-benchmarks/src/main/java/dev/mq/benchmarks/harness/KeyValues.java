package dev.mq.benchmarks.harness;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code key=value key=value} lines the benchmark's processes exchange. */
public final class KeyValues {

    private KeyValues() {
    }

    public static Map<String, String> parse(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String token : line.trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                values.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return values;
    }

    /** A value that may hold spaces or '=' made safe for one token. */
    public static String escape(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public static String unescape(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
