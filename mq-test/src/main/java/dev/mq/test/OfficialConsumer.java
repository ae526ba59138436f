package dev.mq.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads a topic from the beginning with Apache RocketMQ's own consumer: the independent reader that
 * proves what a producer wrote is what a RocketMQ consumer sees (bodies decompressed, properties
 * parsed, ids as stored).
 *
 * <p>The consumer runs in a child JVM on RocketMQ's own classpath (started once per test JVM and
 * shared), so no RocketMQ artifact is needed on the test classpath. It pulls with the classic pull
 * request (code 11), which 4.x and 5.x brokers both serve; the 5.x lite pull consumer sends code 361,
 * which a 4.9 broker rejects (and that consumer only logs the error, reading nothing).
 */
public final class OfficialConsumer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Bound of one pass of {@link #readUntil}. */
    private static final Duration SNAPSHOT_READ = Duration.ofSeconds(10);
    private static ChildJvm reader;
    private static Path readerHome;

    private OfficialConsumer() {
    }

    /**
     * Reads every queue of {@code topic} from offset 0 until {@code expected} messages arrived (plus a
     * short grace period that would reveal duplicates) or {@code timeout} passed, and returns what
     * was read. The caller asserts on the result; this method never fails on a short count. A queue
     * whose broker cannot be reached is retried until the time is up.
     */
    public static List<StoredMessage> readAll(String nameServer, String topic, int expected, Duration timeout) {
        return readAll(nameServer, topic, expected, timeout, Access.PLAIN);
    }

    /**
     * As {@link #readAll(String, String, int, Duration)}, for a cluster that wants signed requests
     * ({@link EmbeddedRocketMQ.Builder#authentication}) or TLS ({@link TlsMode#ENFORCING}).
     */
    public static List<StoredMessage> readAll(String nameServer, String topic, int expected, Duration timeout,
                                              Access access) {
        String reply = reader().call("READ " + nameServer + " " + topic + " " + expected + " " + timeout.toMillis()
                + " " + access.wireForm(), timeout.plusSeconds(30));
        String[] parts = reply.split(" ");
        int count = Integer.parseInt(parts[0]);
        List<StoredMessage> messages = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            messages.add(StoredMessage.decode(parts[i]));
        }
        return messages;
    }

    /**
     * Reads every queue of {@code topic} from offset 0, again and again, until {@code complete} holds
     * for what was read or {@code timeout} passed, and returns the last read. Use it when the number of
     * stored messages is not known in advance — after a fault, a retried send may have been stored
     * twice — but the messages that must be there are: for example "every acknowledged body has been
     * read".
     */
    public static List<StoredMessage> readUntil(String nameServer, String topic,
                                                Predicate<List<StoredMessage>> complete, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<StoredMessage> read;
        do {
            long left = Math.max(deadline - System.nanoTime(), 0);
            // expected 0: a snapshot, every queue read to its current end
            read = readAll(nameServer, topic, 0, Duration.ofNanos(Math.min(left, SNAPSHOT_READ.toNanos())));
            if (complete.test(Collections.unmodifiableList(read))) {
                return read;
            }
        } while (System.nanoTime() < deadline);
        return read;
    }

    /**
     * How the reader reaches the cluster: plaintext and unsigned ({@link #PLAIN}), signed with ACL
     * credentials, over TLS (trusting any certificate, like RocketMQ's own client in TLS test mode), or
     * both.
     */
    public static final class Access {

        /** Plaintext, unsigned requests. */
        public static final Access PLAIN = new Access(null, null, false);

        private final String accessKey;
        private final String secretKey;
        private final boolean tls;

        private Access(String accessKey, String secretKey, boolean tls) {
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            this.tls = tls;
        }

        /** Signs every request with {@code accessKey}/{@code secretKey}. */
        public Access withCredentials(String accessKey, String secretKey) {
            return new Access(accessKey, secretKey, tls);
        }

        /** Speaks TLS to the NameServer and brokers. */
        public Access withTls() {
            return new Access(accessKey, secretKey, true);
        }

        /** {@code accessKey secretKey tls} for the reader's command line ({@code -} for none). */
        String wireForm() {
            return (accessKey == null ? "-" : accessKey) + " " + (secretKey == null ? "-" : secretKey) + " " + tls;
        }

        @Override
        public String toString() {
            return "Access[accessKey=" + accessKey + ", secretKey=" + (secretKey == null ? null : "******")
                    + ", tls=" + tls + "]";
        }
    }

    private static synchronized ChildJvm reader() {
        if (reader == null || !reader.isAlive()) {
            try {
                readerHome = Files.createTempDirectory("mq-reader-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            reader = BrokerRuntime.load(RocketMQVersion.V5, readerHome).launch("reader", readerHome,
                    List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), List.of("reader"));
            reader.awaitReady(START_TIMEOUT);
            Runtime.getRuntime().addShutdownHook(new Thread(OfficialConsumer::stopReader, "mq-test-reader-stop"));
        }
        return reader;
    }

    private static synchronized void stopReader() {
        if (reader != null) {
            reader.kill();
            reader = null;
            Directories.deleteRecursively(readerHome);
        }
    }
}
