package dev.mq.benchmarks.worker;

import dev.mq.benchmarks.harness.BenchClient;
import dev.mq.benchmarks.harness.KeyValues;
import dev.mq.benchmarks.harness.RunSpec;
import dev.mq.benchmarks.harness.SendDriver;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The commands every client's worker understands, around one client at a time:
 * <ul>
 *   <li>{@code START namesrv=.. group=..} starts a fresh client;</li>
 *   <li>{@code MEASURE <RunSpec>} runs one warm-up-then-timed phase on it and answers the figures
 *       (the coordinator alternates short phases of the two clients, so that load from outside the
 *       benchmark falls on both alike);</li>
 *   <li>{@code STOP} closes it. A client whose close does not finish within {@value #CLOSE_SECONDS} s
 *       is abandoned and the answer says {@code close_ok=false}: the coordinator then replaces this
 *       JVM, whose threads are stuck.</li>
 * </ul>
 */
public abstract class ClientWorker implements WorkerCommands {

    static final long CLOSE_SECONDS = 5;

    /** Whether a client of this JVM could not be closed (its threads may still be stuck). */
    static volatile boolean abandonedClient;

    private BenchClient client;

    /** A new, unstarted client of this worker's kind. */
    protected abstract BenchClient newClient();

    /** Commands other than START, MEASURE and STOP. */
    protected String other(String verb, Map<String, String> args) throws Exception {
        throw new IllegalArgumentException("unknown command " + verb);
    }

    @Override
    public final String handle(String verb, String arguments) throws Exception {
        Map<String, String> args = KeyValues.parse(arguments);
        switch (verb) {
            case "START" -> {
                if (client != null) {
                    throw new IllegalStateException("a client is already started");
                }
                BenchClient fresh = newClient();
                try {
                    fresh.start(args.get("namesrv"), args.get("group"), Boolean.parseBoolean(args.get("batching")));
                } catch (Exception | Error e) {
                    closeWithin(fresh);
                    throw e;
                }
                client = fresh;
                return "started";
            }
            case "MEASURE" -> {
                if (client == null) {
                    throw new IllegalStateException("no client started");
                }
                return new SendDriver(client, RunSpec.fromLine(arguments)).run().toLine();
            }
            case "STOP" -> {
                if (client == null) {
                    return "close_ok=true close_ms=0";
                }
                long started = System.nanoTime();
                boolean closed = closeWithin(client);
                client = null;
                return "close_ok=" + closed + " close_ms=" + (System.nanoTime() - started) / 1_000_000;
            }
            default -> {
                return other(verb, args);
            }
        }
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
