package dev.mq.core.testing;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small property-based test runner with reproducible randomness: each try draws its input from its
 * own {@link Random}, seeded from a fixed base seed and the try number, so every run checks the same
 * inputs and a failure names the seed that rebuilds its input. No shrinking: generators keep inputs
 * small instead.
 *
 * <p>{@code -Dmq.property.seed=N} changes the base seed and {@code -Dmq.property.tries=N} multiplies
 * nothing but overrides the number of tries, for a longer hunt.
 */
public final class ForAll {

    /** The base seed unless {@code mq.property.seed} is set. */
    public static final long DEFAULT_SEED = 0x5EC0_0D1E_2026L;

    private ForAll() {
    }

    /**
     * Checks {@code property} against {@code tries} inputs from {@code generator}; the property fails by
     * throwing (an assertion error or anything else).
     */
    public static <T> void check(String name, int tries, Function<Random, T> generator, Consumer<T> property) {
        long base = Long.getLong("mq.property.seed", DEFAULT_SEED);
        int count = Integer.getInteger("mq.property.tries", tries);
        for (int i = 0; i < count; i++) {
            long seed = base + 0x9E3779B97F4A7C15L * (i + 1); // spread the per-try seeds
            T input = generator.apply(new Random(seed));
            try {
                property.accept(input);
            } catch (Throwable e) {
                AssertionError failure = new AssertionError("property '" + name + "' failed on try " + i + " of "
                        + count + " (input seed " + seed + ", base seed " + base + "): " + describe(input)
                        + "\n  " + e, e);
                throw failure;
            }
        }
    }

    private static String describe(Object input) {
        String s;
        if (input instanceof byte[] bytes) {
            StringBuilder hex = new StringBuilder(bytes.length + " bytes: ");
            for (int i = 0; i < Math.min(bytes.length, 96); i++) {
                hex.append(String.format("%02x", bytes[i]));
            }
            s = hex.append(bytes.length > 96 ? "..." : "").toString();
        } else {
            s = String.valueOf(input);
        }
        return s.length() > 2_000 ? s.substring(0, 2_000) + "..." : s;
    }
}
