package dev.mq.core.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Random inputs for {@link ForAll}: text that stresses escaping and UTF-8, bytes, maps. */
public final class Gen {

    /** Characters that break naive JSON writers and property encoders, one per entry. */
    private static final String[] NASTY = {
        "\"", "\\", "/", "\u0000", "\u0001", "\u0002", "\n", "\t", "\u001f", "\u007f", "é", "ß", "中", "\u2028",
        "\uFFFD", "😀", "𝄞", " ", "{", "}", ":", ",", "[", "]"
    };

    private Gen() {
    }

    /** Valid Unicode text (no lone surrogates) of up to {@code maxCodePoints}, mixing ASCII and nasty characters. */
    public static String text(Random r, int maxCodePoints) {
        int n = r.nextInt(maxCodePoints + 1);
        StringBuilder sb = new StringBuilder(n * 2);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(4)) {
                case 0 -> sb.append(NASTY[r.nextInt(NASTY.length)]);
                case 1 -> sb.appendCodePoint(validCodePoint(r));
                default -> sb.append((char) (0x20 + r.nextInt(0x5F)));
            }
        }
        return sb.toString();
    }

    /** Non-empty valid text without the property separators 0x01 and 0x02. */
    public static String propertyText(Random r, int maxCodePoints) {
        String s;
        do {
            s = text(r, maxCodePoints).replace('\u0001', 'x').replace('\u0002', 'y');
        } while (s.isEmpty());
        return s;
    }

    /** Any code point except a surrogate. */
    public static int validCodePoint(Random r) {
        int cp;
        do {
            cp = r.nextInt(4) == 0 ? r.nextInt(Character.MAX_CODE_POINT + 1) : r.nextInt(0x3000);
        } while (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
        return cp;
    }

    public static byte[] bytes(Random r, int maxLength) {
        byte[] b = new byte[r.nextInt(maxLength + 1)];
        r.nextBytes(b);
        return b;
    }

    /** A map of up to {@code maxEntries} entries, keys and values from {@code text}. */
    public static Map<String, String> textMap(Random r, int maxEntries, int maxCodePoints) {
        Map<String, String> map = new LinkedHashMap<>();
        int n = r.nextInt(maxEntries + 1);
        for (int i = 0; i < n; i++) {
            map.put(text(r, maxCodePoints), text(r, maxCodePoints));
        }
        return map;
    }

    /** An int biased towards edge values. */
    public static int anInt(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextInt(10);
            case 1 -> Integer.MIN_VALUE + r.nextInt(3);
            case 2 -> Integer.MAX_VALUE - r.nextInt(3);
            case 3 -> -r.nextInt(1000);
            default -> r.nextInt();
        };
    }
}
