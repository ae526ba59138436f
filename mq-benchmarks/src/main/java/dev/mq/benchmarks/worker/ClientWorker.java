package dev.mq.benchmarks.worker;

import dev.mq.benchmarks.harness.BacklogProbe;
import dev.mq.benchmarks.harness.BenchClient;
import dev.mq.benchmarks.harness.BenchConsumer;
import dev.mq.benchmarks.harness.ConsumeDriver;
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
 * and around one push consumer at a time ({@link ConsumeDriver}):
 * <ul>
 *   <li>{@code CONSUME_START namesrv=.. group=.. topic=..} marks the cost counters and starts a
 *       consumer;</li>
 *   <li>{@code CONSUME_MARK} marks them again (after a warm-up);</li>
 *   <li>{@code CONSUME_AWAIT count=N start_ms=.. stall_ms=..} waits for N distinct messages and answers
 *       the figures from the mark to the last one's arrival (a drain), and whether they all came: it
 *       gives up when the first has not come {@code start_ms} after the mark, or none for
 *       {@code stall_ms} after that ({@link ConsumeDriver.Drain});</li>
 *   <li>{@code CONSUME_READ} answers the figures from the mark to now (a steady load);</li>
 *   <li>{@code CONSUME_STOP expected=N stall_ms=.. settle_ms=..} waits for N distinct messages and a
 *       little longer, answers distinct, duplicate and missing ones, and closes the consumer (within
 *       {@value #CONSUMER_CLOSE_SECONDS} s, else as above).</li>
 *   <li>{@code BACKLOG namesrv=.. group=.. topic=.. handler_ms=.. duration_ms=.. sample_ms=..} runs a
 *       consumer with a slow handler over a backlog for a fixed time and answers what its heap and
 *       cache did ({@link BacklogProbe}), then closes it.</li>
 * </ul>
 */
public abstract class ClientWorker implements WorkerCommands {

    static final long CLOSE_SECONDS = 5;
    /** A consumer's close waits for its handlers and commits offsets: longer than a producer's. */
    static final long CONSUMER_CLOSE_SECONDS = 30;

    /** Whether a client of this JVM could not be closed (its threads may still be stuck). */
    static volatile boolean abandonedClient;

    private BenchClient client;
    private BenchConsumer consumer;
    private ConsumeDriver consuming;

    /** A new, unstarted client of this worker's kind. */
    protected abstract BenchClient newClient();

    /** A new, unstarted push consumer of this worker's kind. */
    protected abstract BenchConsumer newConsumer();

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
                    closeWithin(fresh, CLOSE_SECONDS);
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
                boolean closed = closeWithin(client, CLOSE_SECONDS);
                client = null;
                return "close_ok=" + closed + " close_ms=" + (System.nanoTime() - started) / 1_000_000;
            }
            case "CONSUME_START" -> {
                if (consumer != null) {
                    throw new IllegalStateException("a consumer is already started");
                }
                BenchConsumer fresh = newConsumer();
                ConsumeDriver driver = new ConsumeDriver(fresh);
                try {
                    driver.start(args.get("namesrv"), args.get("group"), args.get("topic"));
                } catch (Exception | Error e) {
                    closeWithin(fresh, CONSUMER_CLOSE_SECONDS);
                    throw e;
                }
                consumer = fresh;
                consuming = driver;
                return "started";
            }
            case "CONSUME_MARK" -> {
                consuming().mark();
                return "marked";
            }
            case "CONSUME_READ" -> {
                return consuming().read().toLine();
            }
            case "CONSUME_AWAIT" -> {
                long stall = Long.parseLong(args.get("stall_ms"));
                return consuming().awaitConsumed(Long.parseLong(args.get("count")),
                        Long.parseLong(args.getOrDefault("start_ms", Long.toString(stall))), stall).toLine();
            }
            case "CONSUME_STOP" -> {
                if (consumer == null) {
                    throw new IllegalStateException("no consumer started");
                }
                ConsumeDriver.Delivery delivery = consuming().settle(Long.parseLong(args.get("expected")),
                        Long.parseLong(args.get("stall_ms")), Long.parseLong(args.get("settle_ms")));
                long started = System.nanoTime();
                boolean closed = closeWithin(consumer, CONSUMER_CLOSE_SECONDS);
                consumer = null;
                consuming = null;
                return delivery.toLine() + " close_ok=" + closed + " close_ms=" + (System.nanoTime() - started) / 1_000_000;
            }
            case "BACKLOG" -> {
                if (consumer != null) {
                    throw new IllegalStateException("a consumer is already started");
                }
                BenchConsumer fresh = newConsumer();
                try {
                    String figures = new BacklogProbe(fresh).run(args.get("namesrv"), args.get("group"), args.get("topic"),
                            Long.parseLong(args.get("handler_ms")), Long.parseLong(args.get("duration_ms")),
                            Long.parseLong(args.get("sample_ms")));
                    long started = System.nanoTime();
                    boolean closed = closeWithin(fresh, CONSUMER_CLOSE_SECONDS);
                    return figures + " close_ok=" + closed + " close_ms=" + (System.nanoTime() - started) / 1_000_000;
                } catch (Exception | Error e) {
                    closeWithin(fresh, CONSUMER_CLOSE_SECONDS);
                    throw e;
                }
            }
            default -> {
                return other(verb, args);
            }
        }
    }

    private ConsumeDriver consuming() {
        if (consuming == null) {
            throw new IllegalStateException("no consumer started");
        }
        return consuming;
    }

    private static boolean closeWithin(AutoCloseable client, long seconds) throws InterruptedException {
        Thread closer = new Thread(() -> {
            try {
                client.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "bench-client-close");
        closer.setDaemon(true);
        closer.start();
        closer.join(TimeUnit.SECONDS.toMillis(seconds));
        if (closer.isAlive()) {
            System.err.println("client close still running after " + seconds + " s; abandoned");
            abandonedClient = true;
            return false;
        }
        return true;
    }
}
