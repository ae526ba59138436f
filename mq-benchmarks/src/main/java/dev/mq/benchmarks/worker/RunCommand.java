package dev.mq.benchmarks.worker;

import dev.mq.benchmarks.harness.BenchClient;
import dev.mq.benchmarks.harness.KeyValues;
import dev.mq.benchmarks.harness.RunOutcome;
import dev.mq.benchmarks.harness.RunSpec;
import dev.mq.benchmarks.harness.SendDriver;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code RUN namesrv=.. group=.. <RunSpec>}: starts a fresh client, runs the scenario, closes the
 * client. A client whose close does not finish within {@value #CLOSE_SECONDS} s is abandoned and the
 * answer says {@code close_ok=false}: the coordinator then replaces this JVM, whose threads are stuck.
 */
public final class RunCommand {

    static final long CLOSE_SECONDS = 5;

    /** Whether a client of this JVM could not be closed (its threads may still be stuck). */
    static volatile boolean abandonedClient;

    private RunCommand() {
    }

    public static String run(BenchClient client, String arguments) throws Exception {
        Map<String, String> args = KeyValues.parse(arguments);
        RunSpec spec = RunSpec.fromLine(arguments);
        RunOutcome outcome;
        try {
            client.start(args.get("namesrv"), args.get("group"));
            outcome = new SendDriver(client, spec).run();
        } catch (Exception | Error e) {
            closeWithin(client);
            throw e;
        }
        long started = System.nanoTime();
        boolean closed = closeWithin(client);
        return outcome.toLine() + " close_ok=" + closed + " close_ms=" + (System.nanoTime() - started) / 1_000_000;
    }

    private static boolean closeWithin(BenchClient client) throws InterruptedException {
        Thread closer = new Thread(client::close, "bench-client-close");
        closer.setDaemon(true);
        closer.start();
        closer.join(TimeUnit.SECONDS.toMillis(CLOSE_SECONDS));
        if (closer.isAlive()) {
            System.err.println("client close still running after " + CLOSE_SECONDS + " s; abandoned");
            abandonedClient = true;
            return false;
        }
        return true;
    }
}
