package dev.mq.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One RocketMQ node (NameServer or Broker) running in a child JVM, driven over its stdin/stdout.
 *
 * <p>The child's stderr, where RocketMQ's own console output goes, is written to {@code node.log} in
 * the node's directory so a failing test can be diagnosed.
 */
final class NodeProcess {

    private static final String PREFIX = "@@mq ";
    private static final String EOF = "\u0000EOF";

    private final String name;
    private final Path home;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Thread reader;

    private NodeProcess(String name, Path home, Process process) {
        this.name = name;
        this.home = home;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(this::readReplies, "mq-test-" + name + "-stdout");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static NodeProcess launch(String name, Path home, BrokerRuntime runtime, List<String> jvmOptions,
                              List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-XX:-UsePerfData");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-Duser.home=" + home);
        command.add("-Dmq.node.home=" + home);
        command.add("-Drocketmq.home.dir=" + home);
        command.addAll(runtime.jvmOptions());
        command.add("-cp");
        command.add(runtime.classpath());
        command.add(runtime.mainClass());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("node.log").toFile()));
        try {
            return new NodeProcess(name, home, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private void readReplies() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(PREFIX)) {
                    replies.add(line.substring(PREFIX.length()));
                }
            }
        } catch (IOException ignored) {
            // the process died; EOF below tells whoever waits
        } finally {
            replies.add(EOF);
        }
    }

    void awaitReady(Duration timeout) {
        String reply = next(timeout, "start");
        if (!reply.equals("READY")) {
            throw failure("did not start: " + reply);
        }
    }

    /** Sends one command and returns the text after {@code OK}. */
    synchronized String command(String line, Duration timeout) {
        send(line);
        String reply = next(timeout, line);
        if (!reply.startsWith("OK")) {
            throw failure("'" + line + "' failed: " + reply);
        }
        return reply.substring(2).trim();
    }

    private void send(String line) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw failure("cannot send '" + line + "': " + e);
        }
    }

    private String next(Duration timeout, String what) {
        try {
            String reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply == null) {
                throw failure("no answer to " + what + " within " + timeout);
            }
            if (reply.equals(EOF)) {
                throw failure("exited while waiting for " + what);
            }
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for " + what);
        }
    }

    /** Asks the node to shut down cleanly, killing it if that takes longer than {@code timeout}. */
    void stopGracefully(Duration timeout) {
        if (process.isAlive()) {
            try {
                send("STOP");
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill();
                }
            } catch (IllegalStateException | InterruptedException e) {
                kill();
            }
        }
        joinReader();
    }

    /** Ends the node at once, as a crash would: what it stored stays on disk. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw failure("did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        joinReader();
    }

    private void joinReader() {
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private IllegalStateException failure(String message) {
        return new IllegalStateException(name + " " + message + " (log: " + home.resolve("node.log") + ")");
    }
}
