package dev.mq.core.internal.consume;

import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.OffsetsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broadcasting consumer's offsets, kept in a local file because every member consumes every queue
 * and the brokers keep no progress for it. Layout:
 * {@code <directory>/<owner>/<group>/offsets.json}, next to it {@code offsets.json.bak} (the previous
 * version) and, while a write is under way, {@code offsets.json.tmp}. Path segments are the names with
 * every character outside {@code [A-Za-z0-9._-]} written as {@code %XX} of its UTF-8 bytes, so
 * {@code %RETRY%} groups and namespaces make valid, distinct names on every file system.
 *
 * <p>The official client names the first level after its client id ({@code ip@instanceName}); we take
 * an owner name from the caller instead, without the IP, so a process that keeps its name but moves
 * to another address (a container rescheduled) still finds its offsets. Offsets survive a restart only
 * if the owner name does.
 *
 * <p>A write never leaves the store without a complete file: the new content goes to the temporary
 * file and is forced to disk, the current file becomes the backup (unless it is the damaged file
 * the store started without), and the temporary file is renamed into place. A crash at any point
 * leaves either the new file, or the old one as backup (and maybe a stray temporary file, ignored). Reading at start takes the main file, else the backup (a crash
 * between the two renames, or a damaged main file), else nothing: every queue is then {@link #NONE}
 * and consume-from applies, as for a new group. The worst a crash costs is the messages consumed since
 * the previous write, delivered again.
 *
 * <p>The whole group's table is written each time (a few bytes per queue). A queue given up keeps its
 * last offset in the file, so it resumes there if it comes back. Writes run on the calling thread;
 * a write with nothing changed since the last one is skipped.
 */
public final class LocalFileOffsetStore implements OffsetStore {

    private static final Logger log = LoggerFactory.getLogger(LocalFileOffsetStore.class);

    static final String FILE_NAME = "offsets.json";

    private final Path file;
    private final Path backup;
    private final Path temporary;
    private final String group;
    private final ConcurrentHashMap<MessageQueue, Long> offsets = new ConcurrentHashMap<>();
    /** Bumped by every change; a write records the version it wrote, so an unchanged table is not rewritten. */
    private final AtomicLong version = new AtomicLong();
    private final Object writeLock = new Object();
    private long writtenVersion;
    /** Whether the main file holds a good table (read or written by this store); a damaged one must not become the backup. */
    private boolean mainIsGood;

    /**
     * Opens the store of {@code group} for {@code owner} under {@code directory}, reading what an
     * earlier run left there. Nothing is created until the first write.
     */
    public LocalFileOffsetStore(Path directory, String owner, String group) {
        this(fileFor(directory, owner, group), group);
    }

    /** Opens the store kept in {@code file} (its directory is created on the first write). */
    LocalFileOffsetStore(Path file, String group) {
        this.file = file.toAbsolutePath();
        this.backup = this.file.resolveSibling(FILE_NAME + ".bak");
        this.temporary = this.file.resolveSibling(FILE_NAME + ".tmp");
        this.group = Objects.requireNonNull(group, "group");
        Map<MessageQueue, Long> loaded = readFile(this.file);
        if (loaded != null) {
            offsets.putAll(loaded);
            writtenVersion = version.get();
            mainIsGood = true;
        } else {
            offsets.putAll(fallBack());
            // The main file is missing or damaged: the first write replaces it even if nothing changed.
            writtenVersion = -1;
        }
    }

    /** Where the store of {@code group} for {@code owner} under {@code directory} is kept. */
    public static Path fileFor(Path directory, String owner, String group) {
        return directory.resolve(safeName(owner)).resolve(safeName(group)).resolve(FILE_NAME);
    }

    /** The file this store writes. */
    public Path file() {
        return file;
    }

    @Override
    public CompletableFuture<Long> read(MessageQueue queue) {
        return CompletableFuture.completedFuture(offsets.getOrDefault(queue, NONE));
    }

    @Override
    public void update(MessageQueue queue, long offset, boolean allowBackwards) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        offsets.compute(queue, (q, old) -> {
            Long next = old == null || allowBackwards || offset > old ? offset : old;
            if (!next.equals(old)) {
                version.incrementAndGet();
            }
            return next;
        });
    }

    /**
     * Writes the whole table (the file holds the group's every queue, not only {@code queues}).
     * Completes exceptionally if the file cannot be written; the offsets stay in memory for the next try.
     */
    @Override
    public CompletableFuture<Void> persist(Collection<MessageQueue> queues) {
        try {
            write();
            return CompletableFuture.completedFuture(null);
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot write the offsets of group {} to {}: {}", group, file, e.toString());
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Keeps the queue's offset: a broadcasting consumer resumes there if the queue comes back. */
    @Override
    public void remove(MessageQueue queue) {
    }

    private void write() throws IOException {
        synchronized (writeLock) {
            // Read the version before the table: a change racing the snapshot bumps it again and is written next time.
            long writing = version.get();
            if (writing == writtenVersion) {
                return;
            }
            byte[] content = OffsetsFile.encode(group, new HashMap<>(offsets));
            Files.createDirectories(file.getParent());
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            if (mainIsGood && Files.exists(file)) {
                move(file, backup);
            }
            move(temporary, file);
            mainIsGood = true;
            forceDirectory();
            writtenVersion = writing;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the renames durable where the platform allows (Linux does; others may refuse to open a directory). */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | RuntimeException e) {
            log.trace("cannot force directory {}: {}", file.getParent(), e.toString());
        }
    }

    /** What to start from when the main file is missing or damaged: the backup, else nothing. */
    private Map<MessageQueue, Long> fallBack() {
        Map<MessageQueue, Long> previous = readFile(backup);
        if (previous != null) {
            log.warn("offsets of group {} taken from the backup {} (the main file is missing or damaged);"
                    + " messages consumed after that backup was current are delivered again", group, backup);
            return previous;
        }
        if (Files.exists(file) || Files.exists(backup)) {
            log.warn("offsets of group {} in {} are unreadable, and so is the backup: every queue starts"
                    + " as for a new group", group, file);
        }
        return Map.of();
    }

    private @Nullable Map<MessageQueue, Long> readFile(Path path) {
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            log.warn("cannot read offsets file {}: {}", path, e.toString());
            return null;
        }
        try {
            return OffsetsFile.decode(content);
        } catch (IllegalArgumentException e) {
            log.warn("offsets file {} is damaged ({} bytes): {}", path, content.length, e.getMessage());
            return null;
        }
    }

    /** {@code name} as one path segment: unreserved ASCII kept, every other UTF-8 byte as %XX. */
    static String safeName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a usable name for an offsets directory: '" + name + "'");
        }
        StringBuilder out = new StringBuilder(name.length());
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
