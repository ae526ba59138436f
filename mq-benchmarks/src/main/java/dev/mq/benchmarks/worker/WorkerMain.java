package dev.mq.benchmarks.worker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A client's own JVM. The coordinator starts one per client on that client's classpath and sends it
 * one command per line on stdin; each answer is one stdout line with the {@value #PREFIX} prefix
 * ({@code OK ...} or {@code ERR reason}), so that a library's console output can never be taken for one.
 * The worker exits on {@code QUIT} or when stdin closes. This is the line protocol of mq-test's
 * {@code ChildJvm}, which the coordinator drives it with.
 *
 * <p>Usage: {@code WorkerMain <commands class>}, a {@link WorkerCommands} implementation that is
 * loaded by name, so that the classes of the other client are never touched.
 */
public final class WorkerMain {

    public static final String PREFIX = "@@bench ";

    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err); // libraries that print go to the log, not to the command channel
        WorkerCommands commands = (WorkerCommands) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        out.println(PREFIX + "READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        try {
            while ((line = in.readLine()) != null) {
                line = line.trim();
                if (line.isEmpty()) {
                    continue;
                }
                int space = line.indexOf(' ');
                String verb = space < 0 ? line : line.substring(0, space);
                String rest = space < 0 ? "" : line.substring(space + 1);
                if (verb.equals("QUIT")) {
                    break;
                }
                try {
                    out.println(PREFIX + "OK " + commands.handle(verb, rest));
                } catch (Throwable e) {
                    e.printStackTrace();
                    out.println(PREFIX + "ERR " + (e.getClass().getName() + ": " + e.getMessage()).replaceAll("[\r\n]+", " "));
                }
            }
        } finally {
            commands.close();
        }
        out.flush();
        if (ClientWorker.abandonedClient) {
            // a client that could not be closed may have shutdown hooks that wait on it
            Runtime.getRuntime().halt(0);
        }
        System.exit(0);
    }
}
