package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MessageIdGeneratorTest {

    private static final byte[] IP = {(byte) 192, (byte) 168, 1, 10};
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    @Test
    void matchesTheFactSheetExample() {
        long monthStart = LocalDateTime.of(2024, 5, 1, 0, 0).atZone(ZONE).toInstant().toEpochMilli();
        MessageIdGenerator ids = new MessageIdGenerator(IP, 12345, 0x1B6D3586,
                new TestClock(monthStart + 123_456_789L), ZONE);

        assertThat(ids.next()).isEqualTo("C0A8010A30391B6D3586075BCD150000");
        assertThat(ids.next()).isEqualTo("C0A8010A30391B6D3586075BCD150001");
    }

    @Test
    void pidIsTruncatedToSixteenBits() {
        MessageIdGenerator ids = new MessageIdGenerator(IP, 0x7_3039, -1, new TestClock(0), ZoneOffset.UTC);
        assertThat(ids.next()).startsWith("C0A8010A3039FFFFFFFF");
    }

    @Test
    void ipv6HostsGiveFiftySixCharacters() throws UnknownHostException {
        byte[] v6 = InetAddress.getByName("2001:db8::1").getAddress();
        String id = new MessageIdGenerator(v6, 1, 2, new TestClock(0), ZoneOffset.UTC).next();
        assertThat(id).hasSize(56).startsWith("20010DB8000000000000000000000001" + "0001" + "00000002")
                .matches("[0-9A-F]+");
    }

    @Test
    void rejectsAddressesOfOtherLengths() {
        assertThatThrownBy(() -> new MessageIdGenerator(new byte[5], 1, 2, new TestClock(0), ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeIsRebasedWhenTheMonthRollsOver() {
        long lastMsOfJanuary = LocalDateTime.of(2024, 1, 31, 23, 59, 59, 999_000_000).atZone(ZONE).toInstant().toEpochMilli();
        long januaryStart = LocalDateTime.of(2024, 1, 1, 0, 0).atZone(ZONE).toInstant().toEpochMilli();
        TestClock clock = new TestClock(lastMsOfJanuary);
        MessageIdGenerator ids = new MessageIdGenerator(IP, 1, 1, clock, ZONE);

        // A month has more ms than an int holds; the id keeps the low 32 bits.
        assertThat(timePart(ids.next())).isEqualTo(String.format("%08X", (int) (lastMsOfJanuary - januaryStart)));
        clock.set(lastMsOfJanuary + 6);
        assertThat(timePart(ids.next())).isEqualTo("00000005");
    }

    @Test
    void monthStartFollowsTheZoneAcrossDaylightSaving() {
        // Berlin switched to summer time on 31 March 2024, so April starts at 22:00 UTC.
        long aprilStartUtc = Instant.parse("2024-03-31T22:00:00Z").toEpochMilli();
        MessageIdGenerator ids = new MessageIdGenerator(IP, 1, 1, new TestClock(aprilStartUtc + 3_600_000L), ZONE);
        assertThat(timePart(ids.next())).isEqualTo(String.format("%08X", 3_600_000));
    }

    @Test
    void aClockSteppedBackBeforeTheMonthStartIsClampedToZero() {
        long mayStart = LocalDateTime.of(2024, 5, 1, 0, 0).atZone(ZONE).toInstant().toEpochMilli();
        TestClock clock = new TestClock(mayStart + 10);
        MessageIdGenerator ids = new MessageIdGenerator(IP, 1, 1, clock, ZONE);
        clock.set(mayStart - 3);
        assertThat(timePart(ids.next())).isEqualTo("00000000");
    }

    @Test
    void counterWrapsAfterSixteenBits() {
        MessageIdGenerator ids = new MessageIdGenerator(IP, 1, 1, new TestClock(0), ZoneOffset.UTC);
        String first = ids.next();
        for (int i = 1; i < 0xFFFF; i++) {
            ids.next();
        }
        assertThat(counterPart(ids.next())).isEqualTo("FFFF");
        String wrapped = ids.next();
        assertThat(counterPart(wrapped)).isEqualTo("0000");
        assertThat(wrapped).isEqualTo(first);
    }

    @Test
    void idsAreUniqueAcrossThreads() throws InterruptedException {
        // A fixed clock leaves the counter as the only varying part, so any lost increment shows up.
        MessageIdGenerator ids = new MessageIdGenerator(IP, 1, 1, new TestClock(1_000), ZoneOffset.UTC);
        int threads = 8;
        int perThread = 8_000;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    seen.add(ids.next());
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(seen).hasSize(threads * perThread);
    }

    @Test
    void sharedGeneratorMakesUppercaseHexIdsOfAValidLength() {
        MessageIdGenerator shared = MessageIdGenerator.shared();
        assertThat(MessageIdGenerator.shared()).isSameAs(shared);
        String a = shared.next();
        String b = shared.next();
        assertThat(a).matches("[0-9A-F]{32}|[0-9A-F]{56}").isNotEqualTo(b);
        assertThat(a.substring(0, a.length() - 12)).isEqualTo(b.substring(0, b.length() - 12));
        String pidHex = String.format("%04X", ProcessHandle.current().pid() & 0xFFFF);
        assertThat(a.substring(a.length() - 24, a.length() - 20)).isEqualTo(pidHex);
    }


    private static String timePart(String id) {
        return id.substring(id.length() - 12, id.length() - 4);
    }

    private static String counterPart(String id) {
        return id.substring(id.length() - 4);
    }

    /** A clock the test moves by hand. */
    private static final class TestClock extends Clock {

        private final AtomicLong millis;

        TestClock(long millis) {
            this.millis = new AtomicLong(millis);
        }

        void set(long value) {
            millis.set(value);
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
