package dev.mq.benchmarks;

import dev.mq.benchmarks.harness.KeyValues;
import dev.mq.benchmarks.worker.WorkerMain;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the benchmark (a client's worker or the null broker), driven by one-line commands
 * on its stdin and answering with {@value WorkerMain#PREFIX}-prefixed lines on its stdout. Its stderr
 * goes to a log file, whose tail is quoted when it fails.
 */
final class ChildProcess implements AutoCloseable {

    private static final String EOF = "\u0000EOF";

    private final String name;
    private final Process process;
    private final Path log;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readReplies, "bench-" + name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java <jvmOptions> -cp <classpath> <mainClass> <args>} and waits for its READY line. */
    static ChildProcess start(String name, List<String> jvmOptions, String classpath, String mainClass,
                              List<String> args, Path log, Duration startTimeout) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ChildProcess child = new ChildProcess(name, process, log);
            String ready = child.next(startTimeout, "start");
            if (!ready.startsWith("READY")) {
                throw child.failure("did not start: " + ready);
            }
            child.readyLine = ready;
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private String readyLine;

    /** The text after {@code READY}. */
    String readyDetails() {
        return readyLine.substring("READY".length()).trim();
    }

    /** Sends {@code line} and returns the text after {@code OK}. */
    synchronized String call(String line, Duration timeout) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw failure("cannot send '" + line + "': " + e);
        }
        String reply = next(timeout, verb(line));
        if (reply.startsWith("OK")) {
            return reply.substring(2).trim();
        }
        if (reply.startsWith("ERR ")) {
            throw new IllegalStateException(name + ": " + verb(line) + " failed: " + KeyValues.unescape(reply.substring(4))
                    + " (log: " + log + ")");
        }
        throw failure("unexpected answer to " + verb(line) + ": " + reply);
    }

    private static String verb(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    private void readReplies() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(WorkerMain.PREFIX)) {
                    replies.add(line.substring(WorkerMain.PREFIX.length()));
                }
            }
        } catch (IOException ignored) {
            // the process died; EOF tells whoever waits
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
                replies.add(EOF);
                throw failure("exited while waiting for " + what);
            }
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for " + what);
        }
    }

    private IllegalStateException failure(String message) {
        return new IllegalStateException(name + " " + message + "; last lines of " + log + ":\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            stdin.write("QUIT\n");
            stdin.flush();
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
