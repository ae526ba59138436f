package dev.mq.test.launcher;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The {@code --key=value} arguments a node was started with. */
public final class NodeOptions {

    private final Map<String, String> values;

    private NodeOptions(Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code args[from..]}, each of which must be {@code --key=value}. */
    public static NodeOptions parse(String[] args, int from) {
        Map<String, String> values = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --key=value, got " + arg);
            }
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return new NodeOptions(values);
    }

    /** The value of {@code --key}, which must be present and non-empty. */
    public String require(String key) {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return value;
    }

    /** The value of {@code --key}, or {@code null} when it was not given. */
    public String get(String key) {
        return values.get(key);
    }

    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /** Every {@code --prefix<key>=value}, keyed by {@code <key>} (the prefix removed). */
    public Properties withPrefix(String prefix) {
        Properties properties = new Properties();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                properties.setProperty(key.substring(prefix.length()), value);
            }
        });
        return properties;
    }

    public int requireInt(String key) {
        return Integer.parseInt(require(key));
    }

    public File requireFile(String key) {
        return new File(require(key));
    }
}
