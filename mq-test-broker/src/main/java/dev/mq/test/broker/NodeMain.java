package dev.mq.test.broker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

/**
 * Entry point of a child JVM that runs one Apache RocketMQ node (a NameServer or a Broker).
 *
 * <p>Usage: {@code NodeMain namesrv|broker --key=value ...}. The parent talks to the node over
 * stdin/stdout with one line per command; every line this class writes starts with
 * {@value #CONTROL_PREFIX} so that anything RocketMQ itself prints cannot be mistaken for a reply.
 * When stdin closes (the parent died or closed the node) the JVM halts at once: a test fixture
 * must never outlive its test run.
 */
public final class NodeMain {

    static final String CONTROL_PREFIX = "@@mq ";

    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream control = System.out;
        // RocketMQ prints banners and warnings on stdout; keep the control channel clean.
        System.setOut(System.err);
        if (args.length == 0) {
            fail(control, "usage: NodeMain namesrv|broker --key=value ...");
        }
        // The official start-up scripts set this; without it every request carries version 0 and
        // the NameServer decodes broker registrations in the pre-4.x format, dropping all topics.
        System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, Integer.toString(MQVersion.CURRENT_VERSION));
        // Servers default to TLS "permissive" mode, which builds a self-signed certificate at start-up
        // (seconds on a small machine). Tests speak plain TCP unless they ask for TLS.
        if (System.getProperty("tls.server.mode") == null) {
            System.setProperty("tls.server.mode", "disabled");
        }
        Map<String, String> options = parseOptions(args);
        Node node = switch (args[0]) {
            case "namesrv" -> new NameServerNode(options);
            case "broker" -> new BrokerNode(options);
            case "reader" -> new ReaderNode();
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        };
        try {
            node.start();
        } catch (Throwable e) {
            e.printStackTrace();
            fail(control, "start failed: " + oneLine(e));
        }
        reply(control, "READY");
        serve(node, control);
    }

    private static void serve(Node node, PrintStream control) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            if (line.equals("STOP")) {
                node.shutdown();
                reply(control, "STOPPED");
                Runtime.getRuntime().halt(0);
            }
            try {
                reply(control, "OK " + node.handle(line.trim().split("\\s+")));
            } catch (Throwable e) {
                e.printStackTrace();
                reply(control, "ERR " + oneLine(e));
            }
        }
        // The parent is gone: nobody is left to wait for a graceful shutdown.
        Runtime.getRuntime().halt(0);
    }

    private static Map<String, String> parseOptions(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --key=value, got " + arg);
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return options;
    }

    private static void reply(PrintStream control, String line) {
        control.println(CONTROL_PREFIX + line);
        control.flush();
    }

    private static void fail(PrintStream control, String message) {
        reply(control, "FAILED " + message);
        Runtime.getRuntime().halt(2);
    }

    static String oneLine(Throwable e) {
        return String.valueOf(e).replace('\n', ' ').replace('\r', ' ');
    }
}
