package dev.mq.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Java program running in a JVM of its own, driven by one-line commands on its stdin. This is the
 * parent's side of the line protocol that {@link EmbeddedRocketMQ}'s nodes speak, and that any tool
 * can give its own child JVMs (the benchmarks run each client and the null broker this way).
 *
 * <p>What the child does:
 * <ul>
 *   <li>every line it writes for the parent starts with a prefix both sides agree on
 *       ({@link Builder#replyPrefix}); other stdout lines are ignored, so that a library's console
 *       output can never be taken for a reply;
 *   <li>once started it writes {@code READY}, optionally followed by details ({@link #awaitReady}
 *       returns them); any other first line, such as {@code FAILED reason}, is a failed start;
 *   <li>it answers each command line with one line: {@code OK}, optionally followed by text
 *       ({@link #call} returns it), or {@code ERR reason};
 *   <li>it exits when its stdin closes ({@link #close}).
 * </ul>
 * Its stderr is appended to a log file; when the child fails, the last lines of that file are quoted.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.builder("worker", "com.example.WorkerMain")
 *         .classpath(classpath).replyPrefix("@@worker ").log(dir.resolve("worker.log")).start()) {
 *     child.awaitReady(Duration.ofSeconds(60));
 *     String answer = child.call("MEASURE size=128", Duration.ofMinutes(1));
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {

    private static final String EOF = "\u0000EOF";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
    private static final int QUOTED_LOG_LINES = 30;

    private final String name;
    private final String replyPrefix;
    private final Path log;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Thread reader;

    private ChildJvm(String name, String replyPrefix, Path log, Process process) {
        this.name = name;
        this.replyPrefix = replyPrefix;
        this.log = log;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(this::readReplies, "mq-test-" + name + "-stdout");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * A child named {@code name} (in thread names and error messages) that runs {@code mainClass}.
     * Its classpath, log file and reply prefix must be set before {@link Builder#start}.
     */
    public static Builder builder(String name, String mainClass) {
        return new Builder(name, mainClass);
    }

    /**
     * Waits for the child's first line and returns what follows {@code READY} (empty if nothing).
     *
     * @throws IllegalStateException if the child answered anything else, exited, or said nothing
     *                               within {@code timeout}
     */
    public String awaitReady(Duration timeout) {
        String reply = next(timeout, "start");
        if (!reply.equals("READY") && !reply.startsWith("READY ")) {
            throw failure("did not start: " + reply);
        }
        return reply.substring("READY".length()).trim();
    }

    /**
     * Sends one command line and returns the text after {@code OK}.
     *
     * @throws IllegalStateException if the child answered {@code ERR} (the message carries its reason),
     *                               anything else, exited, or did not answer within {@code timeout}
     */
    public synchronized String call(String command, Duration timeout) {
        String verb = verb(command);
        send(command);
        String reply = next(timeout, verb);
        if (reply.equals("OK") || reply.startsWith("OK ")) {
            return reply.substring(2).trim();
        }
        if (reply.startsWith("ERR ")) {
            throw new IllegalStateException(name + ": " + verb + " failed: " + reply.substring(4) + " (log: " + log + ")");
        }
        throw failure("unexpected answer to " + verb + ": " + reply);
    }

    /**
     * Sends {@code command}, which the child answers by shutting down, closes its stdin and waits up
     * to {@code timeout} for it to exit; kills it if it does not.
     */
    public void stop(String command, Duration timeout) {
        finish(Objects.requireNonNull(command), timeout);
    }

    /** Closes the child's stdin, its signal to exit, and waits up to 15 s for it; kills it if it does not. */
    @Override
    public void close() {
        finish(null, CLOSE_TIMEOUT);
    }

    private void finish(String command, Duration timeout) {
        boolean exited = !process.isAlive();
        if (!exited) {
            try {
                if (command != null) {
                    send(command);
                }
                closeStdin();
                exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IllegalStateException e) {
                // the command could not be sent: the child is going anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (exited) {
            closeStdin();
            joinReader();
        } else {
            kill();
        }
    }

    /** Ends the child at once (SIGKILL), as a crash would, and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw failure("did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeStdin();
        joinReader();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file the child's stderr goes to. */
    public Path log() {
        return log;
    }

    private void send(String line) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw failure("cannot send " + verb(line) + ": " + e);
        }
    }

    private void closeStdin() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the child is gone already
        }
    }

    private void readReplies() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(replyPrefix)) {
                    replies.add(line.substring(replyPrefix.length()));
                }
            }
        } catch (IOException ignored) {
            // the process died; EOF below tells whoever waits
        } finally {
            replies.add(EOF);
        }
    }

    private String next(Duration timeout, String what) {
        try {
            String reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply == null) {
                throw failure("no answer to " + what + " within " + timeout);
            }
            if (reply.equals(EOF)) {
                replies.add(EOF); // for whoever asks next
                throw failure("exited while waiting for " + what);
            }
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for " + what);
        }
    }

    private void joinReader() {
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first word of a command line: what error messages name (the rest may hold credentials). */
    private static String verb(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    private IllegalStateException failure(String message) {
        return new IllegalStateException(name + " " + message + "; last lines of " + log + ":\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - QUOTED_LOG_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "ChildJvm[" + name + ", pid=" + process.pid() + ", log=" + log + "]";
    }

    /** How to start a {@link ChildJvm}. */
    public static final class Builder {

        private final String name;
        private final String mainClass;
        private String classpath;
        private List<String> jvmOptions = List.of();
        private List<String> arguments = List.of();
        private Path workingDirectory;
        private Path log;
        private String replyPrefix;

        private Builder(String name, String mainClass) {
            this.name = Objects.requireNonNull(name);
            this.mainClass = Objects.requireNonNull(mainClass);
        }

        /** The child's {@code -cp}. Required. */
        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath);
            return this;
        }

        /** Options before the main class ({@code -Xmx256m}, {@code -Dkey=value}, ...). Default none. */
        public Builder jvmOptions(List<String> jvmOptions) {
            this.jvmOptions = List.copyOf(jvmOptions);
            return this;
        }

        /** Arguments of the main class. Default none. */
        public Builder arguments(List<String> arguments) {
            this.arguments = List.copyOf(arguments);
            return this;
        }

        /** The child's working directory. Default: this JVM's. */
        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = Objects.requireNonNull(workingDirectory);
            return this;
        }

        /** The file the child's stderr is appended to (its directory is created). Required. */
        public Builder log(Path log) {
            this.log = Objects.requireNonNull(log);
            return this;
        }

        /** What every line the child writes for the parent starts with, such as {@code "@@mq "}. Required. */
        public Builder replyPrefix(String replyPrefix) {
            if (replyPrefix.isEmpty()) {
                throw new IllegalArgumentException("the reply prefix must not be empty");
            }
            this.replyPrefix = replyPrefix;
            return this;
        }

        /** Starts {@code java <jvmOptions> -cp <classpath> <mainClass> <arguments>}; see {@link ChildJvm#awaitReady}. */
        public ChildJvm start() {
            if (classpath == null || log == null || replyPrefix == null) {
                throw new IllegalStateException("classpath, log and replyPrefix are required");
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(classpath);
            command.add(mainClass);
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            try {
                Path directory = log.toAbsolutePath().getParent();
                if (directory != null) {
                    Files.createDirectories(directory);
                }
                return new ChildJvm(name, replyPrefix, log, builder.start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name, e);
            }
        }
    }
}
