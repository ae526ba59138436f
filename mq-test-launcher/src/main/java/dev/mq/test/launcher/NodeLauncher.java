package dev.mq.test.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The child-JVM side of the line protocol every launcher speaks, whatever RocketMQ it runs.
 *
 * <p>Usage of a launcher: {@code NodeMain <role> --key=value ...}. Every line written for the parent
 * starts with {@value #CONTROL_PREFIX}, so that anything RocketMQ itself prints (its stdout is sent to
 * stderr anyway) cannot be mistaken for a reply:
 * <ul>
 *   <li>{@code READY} once the node started, or {@code FAILED reason} (and exit code 2) if it could not;
 *   <li>then one command per stdin line, blanks around it ignored, answered with {@code OK [text]} or
 *       {@code ERR reason} (one line);
 *   <li>{@code STOP} shuts the node down, answers {@code STOPPED} and halts the JVM;
 *   <li>when stdin closes (the parent died or let the node go) the JVM halts at once: a test fixture
 *       must never outlive its test run.
 * </ul>
 * The parent's side is {@code dev.mq.test.ChildJvm} in mq-test.
 */
public final class NodeLauncher {

    public static final String CONTROL_PREFIX = "@@mq ";

    /** RocketMQ's system property for how its servers treat TLS (both release lines read it). */
    static final String TLS_SERVER_MODE = "tls.server.mode";
    /** RocketMQ's system property for the version every request carries (both release lines read it). */
    static final String REMOTING_VERSION = "rocketmq.remoting.version";

    private NodeLauncher() {
    }

    /**
     * Runs the node of the role named by {@code args[0]} until it is stopped or its parent is gone;
     * never returns.
     *
     * @param remotingVersion the release's own version code ({@code MQVersion.CURRENT_VERSION})
     * @param roles           the node of each role name, built from the remaining arguments
     */
    public static void run(String[] args, int remotingVersion, Map<String, Function<NodeOptions, Node>> roles) {
        PrintStream control = System.out;
        // RocketMQ prints banners and warnings on stdout; keep the control channel clean.
        System.setOut(System.err);
        if (args.length == 0) {
            fail(control, "usage: NodeMain " + String.join("|", new TreeSet<>(roles.keySet())) + " --key=value ...");
        }
        // The official start-up scripts set this; without it every request carries version 0 and
        // the NameServer decodes broker registrations in the pre-4.x format, dropping all topics.
        System.setProperty(REMOTING_VERSION, Integer.toString(remotingVersion));
        // Servers default to TLS "permissive" mode, which builds a self-signed certificate at start-up
        // (seconds on a small machine). Tests speak plain TCP unless they ask for TLS, which the parent
        // does by setting the property itself.
        if (System.getProperty(TLS_SERVER_MODE) == null) {
            System.setProperty(TLS_SERVER_MODE, "disabled");
        }
        Node node = null;
        try {
            Function<NodeOptions, Node> role = roles.get(args[0]);
            if (role == null) {
                throw new IllegalArgumentException("unknown role " + args[0]);
            }
            node = role.apply(NodeOptions.parse(args, 1));
            node.start();
        } catch (Throwable e) {
            e.printStackTrace();
            fail(control, "start failed: " + oneLine(e));
        }
        reply(control, "READY");
        try {
            serve(node, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), control);
        } catch (Throwable e) {
            e.printStackTrace();
        } finally {
            // Stopped, or the parent is gone and nobody is left to wait for a graceful shutdown.
            Runtime.getRuntime().halt(0);
        }
    }

    /**
     * Answers the commands read from {@code in} on {@code control} until {@code STOP}, after which the
     * node is shut down and {@code STOPPED} answered, or until the end of {@code in}.
     *
     * @return whether the node was stopped (rather than left running at the end of input)
     */
    public static boolean serve(Node node, BufferedReader in, PrintStream control) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.trim();
            if (command.isEmpty()) {
                continue;
            }
            if (command.equals("STOP")) {
                node.shutdown();
                reply(control, "STOPPED");
                return true;
            }
            try {
                reply(control, "OK " + node.handle(command.split("\\s+")));
            } catch (Throwable e) {
                e.printStackTrace();
                reply(control, "ERR " + oneLine(e));
            }
        }
        return false;
    }

    private static void reply(PrintStream control, String line) {
        control.println(CONTROL_PREFIX + line);
        control.flush();
    }

    private static void fail(PrintStream control, String message) {
        reply(control, "FAILED " + message);
        Runtime.getRuntime().halt(2);
    }

    private static String oneLine(Throwable e) {
        return String.valueOf(e).replace('\n', ' ').replace('\r', ' ');
    }
}
