package dev.mq.core.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MessageQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileOffsetStoreTest {

    private static final MessageQueue Q0 = new MessageQueue("Orders", "broker-a", 0);
    private static final MessageQueue Q1 = new MessageQueue("Orders", "broker-a", 1);
    private static final MessageQueue RETRY = new MessageQueue("%RETRY%billing", "broker-b", 0);

    @TempDir
    Path dir;

    private LocalFileOffsetStore open() {
        return new LocalFileOffsetStore(dir, "app-1", "billing");
    }

    private static long read(OffsetStore store, MessageQueue queue) {
        return store.read(queue).join();
    }

    @Test
    void offsetsSurviveARestart() {
        LocalFileOffsetStore store = open();
        assertThat(read(store, Q0)).isEqualTo(OffsetStore.NONE);
        store.update(Q0, 42, false);
        store.update(Q1, 7, false);
        store.update(RETRY, 3, false);
        store.persist(List.of(Q0)).join();

        LocalFileOffsetStore reopened = open();
        assertThat(reopened.file()).isEqualTo(dir.resolve("app-1").resolve("billing").resolve("offsets.json").toAbsolutePath());
        // The whole table is written, not only the queues named.
        assertThat(read(reopened, Q0)).isEqualTo(42);
        assertThat(read(reopened, Q1)).isEqualTo(7);
        assertThat(read(reopened, RETRY)).isEqualTo(3);
        assertThat(read(reopened, new MessageQueue("Orders", "broker-a", 2))).isEqualTo(OffsetStore.NONE);
    }

    @Test
    void updateNeverMovesBackwardsUnlessAllowed() {
        LocalFileOffsetStore store = open();
        store.update(Q0, 10, false);
        store.update(Q0, 5, false);
        assertThat(read(store, Q0)).isEqualTo(10);
        store.update(Q0, 5, true);
        assertThat(read(store, Q0)).isEqualTo(5);
        assertThatThrownBy(() -> store.update(Q0, -1, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aQueueGivenUpKeepsItsOffsetInTheFile() {
        LocalFileOffsetStore store = open();
        store.update(Q0, 10, false);
        store.persist(List.of(Q0)).join();
        store.remove(Q0);
        store.update(Q1, 1, false);
        store.persist(List.of(Q1)).join();
        assertThat(read(open(), Q0)).isEqualTo(10);
    }

    @Test
    void aPartialTemporaryFileLeftByACrashIsIgnored() throws Exception {
        LocalFileOffsetStore store = open();
        store.update(Q0, 42, false);
        store.persist(Set.of(Q0)).join();
        // A crash while writing the next version: half a file in the temporary's place.
        Path tmp = store.file().resolveSibling("offsets.json.tmp");
        Files.writeString(tmp, "{\"group\":\"billing\",\"offsets\":[{\"topic\":\"Ord");

        LocalFileOffsetStore reopened = open();
        assertThat(read(reopened, Q0)).isEqualTo(42);
        reopened.update(Q0, 50, false);
        reopened.persist(Set.of(Q0)).join();
        assertThat(read(open(), Q0)).isEqualTo(50);
    }

    @Test
    void aCrashBetweenTheRenamesFallsBackToTheBackup() throws Exception {
        LocalFileOffsetStore store = open();
        store.update(Q0, 42, false);
        store.persist(Set.of(Q0)).join();
        store.update(Q0, 43, false);
        store.persist(Set.of(Q0)).join();
        // The main file was moved to the backup, the new one not yet into place.
        Files.delete(store.file());
        assertThat(read(open(), Q0)).isEqualTo(42);
    }

    @Test
    void aCorruptMainFileFallsBackToTheBackupThenToNone() throws Exception {
        LocalFileOffsetStore store = open();
        store.update(Q0, 42, false);
        store.persist(Set.of(Q0)).join();
        store.update(Q0, 43, false);
        store.persist(Set.of(Q0)).join();

        Files.write(store.file(), new byte[] {0, 0, 0, 0, 0});
        LocalFileOffsetStore fromBackup = open();
        assertThat(read(fromBackup, Q0)).isEqualTo(42);
        // Its first write replaces the damaged file even with nothing changed, and keeps the good backup.
        fromBackup.persist(Set.of()).join();
        assertThat(Files.readString(store.file())).contains("\"offset\":42");
        assertThat(Files.readString(store.file().resolveSibling("offsets.json.bak"))).contains("\"offset\":42");
        Files.write(store.file(), new byte[] {0, 0, 0, 0, 0});

        Files.writeString(store.file().resolveSibling("offsets.json.bak"), "{\"offsets\":[{\"topic\":\"Orders\"}]}");
        assertThat(read(open(), Q0)).isEqualTo(OffsetStore.NONE);

        // The next write makes a good file again.
        LocalFileOffsetStore fresh = open();
        fresh.update(Q0, 5, false);
        fresh.persist(Set.of(Q0)).join();
        assertThat(read(open(), Q0)).isEqualTo(5);
    }

    @Test
    void namesAreEscapedIntoDistinctSegments() {
        assertThat(LocalFileOffsetStore.safeName("%RETRY%ns|billing")).isEqualTo("%25RETRY%25ns%7Cbilling");
        assertThat(LocalFileOffsetStore.safeName("a/b")).isNotEqualTo(LocalFileOffsetStore.safeName("a_b"));
        assertThat(LocalFileOffsetStore.safeName("Zürich-1.x_y")).isEqualTo("Z%C3%BCrich-1.x_y");
        assertThatThrownBy(() -> LocalFileOffsetStore.safeName("..")).isInstanceOf(IllegalArgumentException.class);
        assertThat(LocalFileOffsetStore.fileFor(dir, "10.0.0.1@1#2", "g")).isEqualTo(
                dir.resolve("10.0.0.1%401%232").resolve("g").resolve("offsets.json"));
    }

    @Test
    void aWriteThatFailsKeepsTheOffsetsForTheNextTry() throws Exception {
        Path blocker = dir.resolve("app-1");
        Files.writeString(blocker, "a file where the directory should be");
        LocalFileOffsetStore store = open();
        store.update(Q0, 9, false);
        assertThat(store.persist(Set.of(Q0))).isCompletedExceptionally();
        Files.delete(blocker);
        store.persist(Set.of(Q0)).join();
        assertThat(read(open(), Q0)).isEqualTo(9);
    }

    @Test
    void concurrentUpdatesAndWritesEndWithTheHighestOffsets() throws Exception {
        LocalFileOffsetStore store = open();
        int queues = 8;
        int steps = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 1; i <= steps; i++) {
                        for (int q = thread; q < queues; q += 2) {
                            store.update(new MessageQueue("Orders", "broker-a", q), i, false);
                        }
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 2; t++) {
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 200; i++) {
                        store.persist(Set.of()).join();
                        // Whatever a reader sees mid-way is a complete file.
                        new LocalFileOffsetStore(store.file(), "billing");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        store.persist(Set.of()).join();
        LocalFileOffsetStore reopened = open();
        for (int q = 0; q < queues; q++) {
            assertThat(read(reopened, new MessageQueue("Orders", "broker-a", q))).as("queue %d", q).isEqualTo(steps);
        }
        assertThat(new String(Files.readAllBytes(store.file()), StandardCharsets.UTF_8)).startsWith("{\"group\":\"billing\"");
    }
}
