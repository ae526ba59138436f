package dev.mq.benchmarks;

import java.util.Arrays;

/**
 * Entry point of {@code mq-benchmarks.jar}:
 * <ul>
 *   <li>no arguments, or {@code --option=value}s: the side-by-side suite ({@link SuiteRunner});</li>
 *   <li>{@code jmh [JMH options]}: the JMH benchmarks of the hot path (e.g. {@code jmh -prof gc});</li>
 *   <li>{@code null-broker [--port=N]}: the null broker on its own.</li>
 * </ul>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("null-broker")) {
            dev.mq.benchmarks.nullbroker.NullBrokerMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(Options.usage());
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int failures = new SuiteRunner(options, System.out, System.err).run();
        System.exit(failures == 0 ? 0 : 1);
    }
}
