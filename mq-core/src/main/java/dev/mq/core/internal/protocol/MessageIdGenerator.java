package dev.mq.core.internal.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates client message ids ({@code UNIQ_KEY}) in the layout RocketMQ tools take apart: uppercase
 * hex of {@code ip | pid (int16) | class-loader hash (int32) | ms since the start of the month in
 * the local zone (int32) | counter (int16)}; 32 characters for an IPv4 host, 56 for IPv6.
 *
 * <p>Thread-safe and lock-free. The fixed prefix is rendered once; each id costs one String. Ids
 * are unique per process as long as fewer than 65,536 are made in one millisecond.
 */
public final class MessageIdGenerator {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private final String prefixText;
    private final Clock clock;
    private final ZoneId zone;
    private final AtomicInteger counter = new AtomicInteger();
    /** Replaced (never mutated) when the month rolls; a race only recomputes the same window. */
    private volatile MonthWindow window;

    /**
     * A generator with fixed identity parts, for tests and for callers that need reproducible ids.
     *
     * @param ip         4 (IPv4) or 16 (IPv6) address bytes
     * @param pid        process id; only its low 16 bits are used
     * @param loaderHash any value stable for the process
     * @param clock      source of the current time
     * @param zone       the zone whose months the time part counts from
     */
    public MessageIdGenerator(byte[] ip, int pid, int loaderHash, Clock clock, ZoneId zone) {
        Objects.requireNonNull(ip, "ip");
        if (ip.length != 4 && ip.length != 16) {
            throw new IllegalArgumentException("ip must have 4 or 16 bytes, not " + ip.length);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
        byte[] p = new byte[(ip.length + 6) * 2];
        int at = 0;
        for (byte b : ip) {
            at = writeHex(p, at, b & 0xFF, 2);
        }
        at = writeHex(p, at, pid & 0xFFFF, 4);
        writeHex(p, at, loaderHash, 8);
        this.prefixText = new String(p, StandardCharsets.ISO_8859_1);
        this.window = MonthWindow.containing(clock.millis(), zone);
    }

    /** The process-wide generator: this host's address, pid and class loader, the system clock and zone. */
    public static MessageIdGenerator shared() {
        return Shared.INSTANCE;
    }

    /** The next id. */
    public String next() {
        long now = clock.millis();
        MonthWindow w = window;
        if (now >= w.end) {
            w = MonthWindow.containing(now, zone);
            window = w;
        }
        // A clock stepped back a little (NTP) just after the month started must not go negative.
        long sinceMonthStart = Math.max(0, now - w.start);
        int count = counter.getAndIncrement();

        // A month holds more ms than an int; the low 32 bits are what the layout keeps.
        int time = (int) sinceMonthStart;
        // One concatenation of the prefix and twelve chars: the JDK sizes the String's array once and
        // fills it in place, where building the bytes first and then a String from them copied them
        // into a second array (48 B per message more, on every send).
        return prefixText + hex(time, 28) + hex(time, 24) + hex(time, 20) + hex(time, 16) + hex(time, 12)
                + hex(time, 8) + hex(time, 4) + hex(time, 0) + hex(count, 12) + hex(count, 8) + hex(count, 4)
                + hex(count, 0);
    }

    /** The hex digit of {@code value}'s four bits at {@code shift}. */
    private static char hex(int value, int shift) {
        return (char) HEX[(value >>> shift) & 0xF];
    }

    private static int writeHex(byte[] out, int at, int value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX[value & 0xF];
            value >>>= 4;
        }
        return at + digits;
    }

    /** One month in {@code zone}, as epoch ms: [start, end). */
    private record MonthWindow(long start, long end) {

        static MonthWindow containing(long epochMillis, ZoneId zone) {
            LocalDate first = Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate().withDayOfMonth(1);
            long start = first.atStartOfDay(zone).toInstant().toEpochMilli();
            long end = first.plusMonths(1).atStartOfDay(zone).toInstant().toEpochMilli();
            return new MonthWindow(start, end);
        }
    }

    /** Lazy holder: interface enumeration is slow and only needed once a producer sends. */
    private static final class Shared {

        static final MessageIdGenerator INSTANCE = create();

        private static MessageIdGenerator create() {
            ClassLoader loader = MessageIdGenerator.class.getClassLoader();
            int loaderHash = loader == null ? 0 : loader.hashCode();
            Clock clock = Clock.systemUTC();
            return new MessageIdGenerator(HostAddress.local(),
                    (int) ProcessHandle.current().pid(), loaderHash, clock, ZoneId.systemDefault());
        }
    }
}
