package dev.mq.core.it.faults;

import java.util.Locale;

/** Prints the figures docs/reliability.md quotes, under one greppable prefix. */
final class Reliability {

    private Reliability() {
    }

    static void print(String test, String format, Object... args) {
        System.out.println("RELIABILITY " + test + ": " + String.format(Locale.ROOT, format, args));
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} shows them (Linux), or "n/a". */
    static String uptime() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
            return fields.length < 3 ? "n/a" : fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return "n/a";
        }
    }
}
