package dev.mq.core.internal.transport;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code extFields} of a decoded header, as a read-only map: names and values side by side in
 * one array, found by a scan. A header has a handful of fields (a send answer three to five), and a
 * {@code HashMap} cost its table and a node per field on every response — about 250 B, the largest
 * part of reading a send answer ({@code SendPathBenchmark} in docs/performance.md). Past
 * {@value #MAX_SCANNED} fields a hash map takes over, so that a hostile header cannot make the scan
 * quadratic. The last of duplicate names wins, as with a map.
 *
 * <p>A value of three or more plain digits (a queue offset) is kept as the number it is, read by
 * {@link #longValue} without a String; {@link #get} writes it out (once) for anyone asking for text.
 */
final class HeaderFields extends AbstractMap<String, String> {

    /** Up to this many fields are scanned; more go into a hash map. */
    static final int MAX_SCANNED = 16;

    /** name, value, name, value…, a value a String or a Long: room for a 5.x send answer's five fields. */
    private @Nullable Object[] pairs = new Object[10];
    private int size;
    private @Nullable Map<String, @Nullable String> large;

    /** Decoder only, before the map is handed to anyone: adds or replaces {@code name} with a number. */
    void addNumber(String name, long value) {
        if (large != null) {
            add(name, Long.toString(value));
        } else {
            store(name, value);
        }
    }

    /** Decoder only, before the map is handed to anyone: adds or replaces {@code name}. */
    void add(String name, @Nullable String value) {
        store(name, value);
    }

    private void store(String name, @Nullable Object value) {
        Map<String, @Nullable String> map = large;
        if (map != null) {
            map.put(name, text(value));
            return;
        }
        int at = indexOf(name);
        if (at >= 0) {
            pairs[at + 1] = value;
            return;
        }
        if (size == MAX_SCANNED) {
            map = new HashMap<>();
            for (int i = 0; i < size * 2; i += 2) {
                map.put((String) pairs[i], text(pairs[i + 1]));
            }
            map.put(name, text(value));
            large = map;
            pairs = new Object[0];
            size = 0;
            return;
        }
        if (size * 2 == pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[size * 2] = name;
        pairs[size * 2 + 1] = value;
        size++;
    }

    private int indexOf(Object name) {
        for (int i = 0; i < size * 2; i += 2) {
            Object candidate = pairs[i];
            if (candidate == name || name.equals(candidate)) { // names are mostly the reader's shared constants
                return i;
            }
        }
        return -1;
    }

    @Override
    public @Nullable String get(@Nullable Object name) {
        if (name == null) {
            return null;
        }
        Map<String, @Nullable String> map = large;
        if (map != null) {
            return map.get(name);
        }
        int at = indexOf(name);
        return at < 0 ? null : textAt(at + 1);
    }

    /**
     * The value of {@code name} as a number: {@code absent} when there is none or it is no decimal
     * {@code long} ({@link Long#parseLong}'s rules), so that it reads as the text would.
     */
    long longValue(String name, long absent) {
        Map<String, @Nullable String> map = large;
        Object value;
        if (map != null) {
            value = map.get(name);
        } else {
            int at = indexOf(name);
            value = at < 0 ? null : pairs[at + 1];
        }
        if (value instanceof Long number) {
            return number;
        }
        return parseLong((String) value, absent);
    }

    /** {@code text} as a long by {@link Long#parseLong}, or {@code absent} when null or not a number. */
    static long parseLong(@Nullable String text, long absent) {
        if (text == null) {
            return absent;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    /** The value at {@code index} as text; a number is written out once and kept (any thread: Strings are immutable). */
    private @Nullable String textAt(int index) {
        Object value = pairs[index];
        if (value instanceof Long) {
            String text = value.toString();
            pairs[index] = text;
            return text;
        }
        return (String) value;
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }

    @Override
    public boolean containsKey(@Nullable Object name) {
        if (name == null) {
            return false;
        }
        Map<String, @Nullable String> map = large;
        return map != null ? map.containsKey(name) : indexOf(name) >= 0;
    }

    @Override
    public int size() {
        Map<String, @Nullable String> map = large;
        return map != null ? map.size() : size;
    }

    @SuppressWarnings("NullAway") // values may be null (a JSON null), as in the HashMap this replaces
    @Override
    public Set<Entry<String, String>> entrySet() {
        Map<String, @Nullable String> map = large;
        if (map != null) {
            return java.util.Collections.unmodifiableMap(map).entrySet();
        }
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size * 2;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, String> entry = new SimpleImmutableEntry<>((String) pairs[next],
                                textAt(next + 1));
                        next += 2;
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
