package dev.mq.benchmarks;

import dev.mq.benchmarks.harness.ConsumeDriver;
import dev.mq.benchmarks.harness.KeyValues;
import dev.mq.benchmarks.harness.Mode;
import dev.mq.benchmarks.harness.RunOutcome;
import dev.mq.benchmarks.harness.RunSpec;
import dev.mq.benchmarks.worker.WorkerMain;
import dev.mq.test.ChildJvm;
import dev.mq.test.Directories;
import dev.mq.test.EmbeddedRocketMQ;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The side-by-side suite. It runs in a JVM that only coordinates: each client runs in a worker JVM
 * of its own (mq-core on this jar's classpath with Netty 4.2; Apache's client on the RocketMQ
 * runtime's own classpath with Netty 4.1), the null broker in another, and the real NameServer and
 * Broker in theirs (EmbeddedRocketMQ). So a client's CPU time and allocation are its own alone.
 *
 * <p>Prints, per scenario and client, a {@code RESULT} line, then a {@code RATIO} line (ours divided by
 * official; for a batched scenario also {@code <name>-vs-unbatched-official}, ours batched divided by
 * the official client's unbatched result from the same run); {@code STORED} lines for the real broker's read-back check and {@code LOSS} lines for
 * oneway sends (stored by the real broker, received by the null broker); {@code DELIVERY} lines for
 * the consume scenarios (distinct, duplicate and missing messages per consumer); a {@code CEILING}
 * line; and summary tables. See docs/performance.md.
 */
final class SuiteRunner {

    private static final String OURS = "ours";
    private static final String OFFICIAL = "official";
    /** The JVM (mq-core's classpath) of the producer that feeds the consume scenarios, for both consumers alike. */
    private static final String PRODUCER = "producer";
    /**
     * A drain that receives nothing new for this long is given up, and fails its client's scenario.
     */
    private static final long DRAIN_STALL_MILLIS = 30_000;
    /**
     * A drain whose consumer has handed over no message this long after its start is given up, and
     * fails its client's scenario. Longer than the stall: a consumer that finds no queue (or no
     * offset) at its first rebalance gets them at its next (Apache's: 20 s later), more on a loaded
     * machine, and that start-up is part of what a drain measures.
     */
    private static final long DRAIN_START_MILLIS = 120_000;
    /** How long a consumer is watched for late duplicates once it has every message. */
    private static final long SETTLE_MILLIS = 1_000;
    private static final int REAL_TOPIC_QUEUES = 8;
    private static final int CEILING_BYTES = 1024;
    private static final Duration CHILD_START_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Broker-side RocketMQ jars left off the official client's classpath, so that it runs (and logs)
     * as in an application that depends on rocketmq-client alone.
     */
    private static final Pattern SERVER_JARS = Pattern.compile(
            "rocketmq-(broker|namesrv|controller|tools|store|tiered-store|srvutil|container|proxy)-.*\\.jar");

    private final Options options;
    private final PrintStream out;
    private final PrintStream progress;
    private final Path work;
    private final Map<String, ChildJvm> workers = new LinkedHashMap<>();
    private final List<String> summary = new ArrayList<>();
    private final List<String> ratios = new ArrayList<>();
    private final Map<String, RunOutcome> oursResults = new LinkedHashMap<>();
    private final Map<String, RunOutcome> officialResults = new LinkedHashMap<>();
    private int sequence;
    private int scenarioIndex;
    private int failures;

    SuiteRunner(Options options, PrintStream out, PrintStream progress) {
        this.options = options;
        this.out = out;
        this.progress = progress;
        try {
            this.work = Files.createTempDirectory("mq-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the selected scenarios; returns the number of client runs that failed or had errors. */
    int run() {
        long started = System.nanoTime();
        List<Scenario> scenarios = options.scenarios();
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("no scenario matches the given filters");
        }
        out.println("ENV " + environment());
        out.println("# scenarios=" + scenarios.stream().map(Scenario::name).collect(Collectors.joining(","))
                + " warmup=" + options.warmup.toMillis() + "ms duration="
                + (options.messages > 0 ? options.messages + "msgs" : options.duration.toMillis() + "ms")
                + (scenarios.stream().anyMatch(s -> s.consumption() != Scenario.Consumption.NONE)
                        ? " consume_rounds=" + options.consumeRounds + " drain_messages=" + options.drainMessages
                        + " e2e_rate=" + options.e2eRate + " e2e_warmup=" + options.e2eWarmup.toMillis() + "ms e2e_duration="
                        + options.e2eDuration.toMillis() + "ms" : "")
                + (scenarios.stream().anyMatch(s -> s.consumption() == Scenario.Consumption.BACKLOG)
                        ? " backlog_mib=" + options.backlogMib + " backlog_heap=" + options.backlogHeap + " backlog_handler_ms="
                        + options.backlogHandlerMillis + " backlog_duration=" + options.backlogDuration.toMillis() + "ms" : ""));
        failures = 0;
        try {
            List<Scenario> onNull = scenarios.stream().filter(s -> s.broker() == Scenario.BrokerKind.NULL).toList();
            List<Scenario> onReal = scenarios.stream().filter(s -> s.broker() == Scenario.BrokerKind.REAL).toList();
            if (!onNull.isEmpty()) {
                runOnNullBroker(onNull);
            }
            if (!onReal.isEmpty()) {
                runOnRealBroker(onReal);
            }
        } catch (RuntimeException e) {
            failures++;
            throw e;
        } finally {
            workers.values().forEach(ChildJvm::close);
            if (failures == 0) {
                deleteWork();
            } else {
                progress.println("[bench] kept the logs of the child JVMs in " + work);
            }
        }
        printSummary();
        out.printf(Locale.ROOT, "DONE seconds=%.0f failures=%d load=%s%n", (System.nanoTime() - started) / 1e9,
                failures, loadAverage());
        return failures;
    }

    private void runOnNullBroker(List<Scenario> scenarios) {
        progress.println("[bench] starting the null broker");
        try (ChildJvm broker = ChildJvm.builder("null-broker", "dev.mq.benchmarks.nullbroker.NullBrokerMain")
                .jvmOptions(List.of("-Xms512m", "-Xmx512m", "-XX:-UsePerfData", "-Djava.net.preferIPv4Stack=true"))
                .classpath(Classpaths.self())
                .replyPrefix(WorkerMain.PREFIX)
                .log(work.resolve("null-broker.log"))
                .start()) {
            String address = "127.0.0.1:" + KeyValues.parse(broker.awaitReady(CHILD_START_TIMEOUT)).get("port");
            Double ceiling = null;
            if (options.ceiling && options.clients.contains(OURS)) {
                progress.println("[bench] ceiling: pipelined pre-encoded frames on one connection");
                String reply = worker(OURS).call("CEILING address=" + address + " bytes=" + CEILING_BYTES
                        + " window=" + options.inFlight + " warmup_ns=" + options.warmup.toNanos()
                        + " duration_ns=" + options.duration.toNanos(), Duration.ofMinutes(2));
                ceiling = Double.parseDouble(KeyValues.parse(reply).get("msgs_per_s"));
            }
            warmUpBroker(address, null);
            for (Scenario scenario : scenarios) {
                runScenario(scenario, address, null, broker);
            }
            if (ceiling != null) {
                RunOutcome ours = oursResults.get("null-async-" + CEILING_BYTES);
                out.printf(Locale.ROOT, "CEILING msgs_per_s=%.0f bytes=%d window=%d%s%n", ceiling, CEILING_BYTES,
                        options.inFlight, ours == null ? "" : String.format(Locale.ROOT,
                                " ours_async_msgs_per_s=%.0f ours_fraction=%.2f", ours.messagesPerSecond(),
                                ours.messagesPerSecond() / ceiling));
            }
            out.println("# null broker: " + broker.call("STATS", Duration.ofSeconds(10)));
        }
    }

    private void runOnRealBroker(List<Scenario> scenarios) {
        progress.println("[bench] starting Apache RocketMQ (NameServer + Broker in child JVMs)");
        try (EmbeddedRocketMQ mq = EmbeddedRocketMQ.builder().build().start()) {
            warmUpBroker(mq.nameServerAddress(), mq);
            for (Scenario scenario : scenarios) {
                switch (scenario.consumption()) {
                    case NONE -> runScenario(scenario, mq.nameServerAddress(), mq, null);
                    case DRAIN -> runDrain(scenario, mq.nameServerAddress(), mq);
                    case E2E -> runEndToEnd(scenario, mq.nameServerAddress(), mq);
                    case BACKLOG -> runBacklog(scenario, mq.nameServerAddress(), mq);
                }
            }
        }
    }

    /** Unreported asynchronous load from each client, so that the first scenario does not meet a cold broker. */
    private void warmUpBroker(String nameServer, EmbeddedRocketMQ mq) {
        if (options.brokerWarmup.isZero()) {
            return;
        }
        for (String client : options.clients) {
            String topic = "bench-warmup-" + client;
            progress.println("[bench] warming the broker up with " + client);
            if (mq != null) {
                mq.createTopic(topic, REAL_TOPIC_QUEUES);
            }
            worker(client).call("START namesrv=" + nameServer + " group=bench_warmup_" + client, Duration.ofMinutes(1));
            RunSpec spec = new RunSpec("warmup", Mode.ASYNC, topic, 1024, options.threads, options.inFlight, 0,
                    options.brokerWarmup.toNanos(), 0);
            worker(client).call("MEASURE " + spec.toLine(), options.brokerWarmup.plus(Duration.ofMinutes(2)));
            stop(client, "warmup");
        }
    }

    /** One client's part of a scenario. */
    private static final class Session {
        final String client;
        final String topic;
        final String group;
        final List<RunOutcome> parts = new ArrayList<>();
        boolean failed;

        Session(String client, String topic, String group) {
            this.client = client;
            this.topic = topic;
            this.group = group;
        }
    }

    /**
     * Runs {@code scenario} for each client against the real broker ({@code mq}) or the null broker
     * ({@code nullBroker}) at {@code nameServer}: each client gets a fresh producer (and, on the real
     * broker, a fresh topic); then the timed window is cut into {@code --rounds} phases that alternate
     * between the clients (who goes first alternates too), so that load from outside the benchmark
     * and drift in the broker fall on both alike; the first phase of each client starts with the
     * warm-up.
     */
    private void runScenario(Scenario scenario, String nameServer, EmbeddedRocketMQ mq, ChildJvm nullBroker) {
        String name = scenario.name();
        int index = scenarioIndex++;
        List<Session> sessions = new ArrayList<>();
        for (String client : options.clients) {
            int id = ++sequence;
            Session session = new Session(client, "bench-" + id + "-" + name + "-" + client, "bench_" + client + "_" + id);
            sessions.add(session);
            try {
                if (mq != null) {
                    mq.createTopic(session.topic, REAL_TOPIC_QUEUES);
                }
                worker(client).call("START namesrv=" + nameServer + " group=" + session.group + " batching="
                        + scenario.batching(), Duration.ofMinutes(1));
            } catch (RuntimeException e) {
                failed(session, name, e);
            }
        }
        int rounds = options.rounds;
        long sliceNanos = options.duration.toNanos() / rounds;
        long sliceMessages = options.messages > 0 ? (options.messages + rounds - 1) / rounds : 0;
        Duration timeout = options.messages > 0 ? Duration.ofMinutes(10)
                : options.warmup.plus(Duration.ofNanos(sliceNanos)).plus(Duration.ofMinutes(2));
        for (int round = 0; round < rounds; round++) {
            List<Session> order = new ArrayList<>(sessions);
            if ((index + round) % 2 == 1) {
                Collections.reverse(order);
            }
            for (Session session : order) {
                if (session.failed) {
                    continue;
                }
                progress.println("[bench] " + name + " " + session.client + " " + (round + 1) + "/" + rounds);
                RunSpec spec = new RunSpec(name, scenario.mode(), session.topic, scenario.bytes(), options.threads,
                        scenario.mode() == Mode.ASYNC ? scenario.inFlight() : 1,
                        round == 0 ? options.warmup.toNanos() : 0, sliceNanos, sliceMessages);
                try {
                    session.parts.add(RunOutcome.fromLine(worker(session.client).call("MEASURE " + spec.toLine(), timeout)));
                } catch (RuntimeException e) {
                    failed(session, name, e);
                }
            }
        }
        Map<String, RunOutcome> results = new LinkedHashMap<>();
        for (Session session : sessions) {
            try {
                stop(session.client, name);
                if (session.failed) {
                    continue;
                }
                RunOutcome outcome = RunOutcome.combine(session.parts);
                long errors = outcome.errors();
                if (mq != null) {
                    errors += checkStored(scenario, session.client, session.topic, nameServer, outcome);
                } else if (scenario.mode() == Mode.ONEWAY) {
                    printLoss(name, session.client, outcome.totalOk(), settledArrivals(nullBroker, session.topic));
                }
                if (outcome.firstError() != null) {
                    out.println("# " + name + " " + session.client + " first error (warm-up included): " + outcome.firstError());
                }
                results.put(session.client, outcome);
                if (session.client.equals(OURS)) {
                    oursResults.put(name, outcome);
                } else {
                    officialResults.put(name, outcome);
                }
                report(name, session.client, outcome, errors);
                if (errors > 0) {
                    failures++;
                }
            } catch (RuntimeException e) {
                failed(session, name, e);
            }
        }
        printRatios(name, results);
        RunOutcome ours = results.get(OURS);
        RunOutcome officialUnbatched = scenario.batching() ? officialResults.get(scenario.unbatched().name()) : null;
        if (ours != null && officialUnbatched != null) {
            printRatio(name + "-vs-unbatched-official", ours, officialUnbatched);
        }
    }

    /** The {@code RESULT} line and the summary table's row of one client's part of a scenario. */
    private void report(String name, String client, RunOutcome outcome, long errors) {
        out.println(String.format(Locale.ROOT,
                "RESULT scenario=%s client=%s msgs_per_s=%.0f p50_us=%.1f p99_us=%.1f cpu_us_per_msg=%.2f "
                        + "alloc_bytes_per_msg=%.0f errors=%d",
                name, client, outcome.messagesPerSecond(), outcome.p50Nanos() / 1e3,
                outcome.p99Nanos() / 1e3, outcome.cpuMicrosPerMessage(), outcome.allocatedBytesPerMessage(), errors));
        summary.add(String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %.2f | %.0f | %d |", name,
                client, outcome.messagesPerSecond(), outcome.p50Nanos() / 1e3, outcome.p99Nanos() / 1e3,
                outcome.cpuMicrosPerMessage(), outcome.allocatedBytesPerMessage(), errors));
    }

    /**
     * Drains one topic, filled once by the producer with {@code --drain-messages} messages, with each
     * client's push consumer: a fresh group from the first offset per drain, {@code --consume-rounds}
     * drains per client alternating who goes first, each timed from the consumer's start until it
     * has every message. Before them, unless {@code --warmup=0s}, each client drains the topic once
     * unreported (the JIT's warm-up). Every message must arrive once per group.
     */
    private void runDrain(Scenario scenario, String nameServer, EmbeddedRocketMQ mq) {
        String name = scenario.name();
        int index = scenarioIndex++;
        long count = options.drainMessages;
        String topic = "bench-" + (++sequence) + "-" + name;
        // the warm-up is a whole drain of the same topic: shorter ones left the first measured drain cold
        String warmTopic = options.warmup.isZero() ? null : topic;
        long warmCount = 0;
        try {
            count = fill(scenario, nameServer, mq, topic, count);
            warmCount = count;
        } catch (RuntimeException e) {
            failures++;
            out.println("FAILED scenario=" + name + " client=" + PRODUCER + " error=" + KeyValues.escape(String.valueOf(e.getMessage())));
            return;
        }
        List<Session> sessions = new ArrayList<>();
        for (String client : options.clients) {
            Session session = new Session(client, topic, null);
            sessions.add(session);
            if (warmTopic != null) {
                progress.println("[bench] " + name + " " + client + " warm-up drain");
                try {
                    drainOnce(session, name, nameServer, warmTopic, warmCount, "warm-up");
                } catch (RuntimeException e) {
                    failed(session, name, e);
                    abandonConsumer(session.client);
                }
            }
        }
        long[] duplicates = new long[sessions.size()];
        long[] missing = new long[sessions.size()];
        for (int round = 0; round < options.consumeRounds; round++) {
            List<Session> order = new ArrayList<>(sessions);
            if ((index + round) % 2 == 1) {
                Collections.reverse(order);
            }
            for (Session session : order) {
                if (session.failed) {
                    continue;
                }
                progress.println("[bench] " + name + " " + session.client + " " + (round + 1) + "/" + options.consumeRounds);
                try {
                    DrainResult r = drainOnce(session, name, nameServer, topic, count,
                            "round " + (round + 1) + "/" + options.consumeRounds);
                    session.parts.add(r.outcome);
                    duplicates[sessions.indexOf(session)] += r.duplicates;
                    missing[sessions.indexOf(session)] += r.missing;
                } catch (RuntimeException e) {
                    failed(session, name, e);
                    abandonConsumer(session.client);
                }
            }
        }
        Map<String, RunOutcome> results = new LinkedHashMap<>();
        for (int i = 0; i < sessions.size(); i++) {
            Session session = sessions.get(i);
            if (session.failed) {
                continue;
            }
            RunOutcome outcome = RunOutcome.combine(session.parts);
            long errors = duplicates[i] + missing[i];
            out.println("DELIVERY scenario=" + name + " client=" + session.client + " drains=" + session.parts.size()
                    + " expected=" + count * session.parts.size() + " unique=" + outcome.messages()
                    + " duplicates=" + duplicates[i] + " missing=" + missing[i]);
            report(name, session.client, outcome, errors);
            results.put(session.client, outcome);
            if (errors > 0) {
                failures++;
            }
        }
        printRatios(name, results);
    }

    private record DrainResult(RunOutcome outcome, long duplicates, long missing) {
    }

    /**
     * One drain of {@code topic} by {@code session}'s client with a fresh group. A drain that did not
     * get every message (none came within {@value #DRAIN_START_MILLIS} ms of the start, or none for
     * {@value #DRAIN_STALL_MILLIS} ms after that) is no measurement: its line says why, the consumer is
     * closed, and an exception fails the client's scenario, so that no rate of a partial drain enters
     * a {@code RESULT} or {@code RATIO} line.
     */
    private DrainResult drainOnce(Session session, String name, String nameServer, String topic, long count, String label) {
        String group = "bench_" + session.client + "_" + (++sequence);
        ChildJvm worker = worker(session.client);
        worker.call("CONSUME_START namesrv=" + nameServer + " group=" + group + " topic=" + topic, Duration.ofMinutes(1));
        ConsumeDriver.Drain drain = ConsumeDriver.Drain.fromLine(worker.call("CONSUME_AWAIT count=" + count
                + " start_ms=" + DRAIN_START_MILLIS + " stall_ms=" + DRAIN_STALL_MILLIS, Duration.ofMinutes(30)));
        RunOutcome outcome = drain.outcome();
        String failure = drain.failure();
        // an incomplete drain's consumer is closed at once: waiting for the rest would only say how late it was
        Map<String, String> stop = stopConsumer(session.client, name, failure == null ? count : 0);
        long duplicates = Long.parseLong(stop.get("duplicates"));
        long missing = failure == null ? Long.parseLong(stop.get("missing")) : count - Long.parseLong(stop.get("unique"));
        if (failure != null) {
            out.printf(Locale.ROOT, "# %s %s %s: incomplete, %s; unique=%s duplicates=%d missing=%d close_ms=%s load=%s%n",
                    name, session.client, label, failure, stop.get("unique"), duplicates, missing, stop.get("close_ms"),
                    loadAverage());
            throw new IllegalStateException(label + " incomplete: " + failure);
        }
        out.printf(Locale.ROOT, "# %s %s %s: msgs_per_s=%.0f cpu_us_per_msg=%.2f alloc_bytes_per_msg=%.0f unique=%s "
                        + "duplicates=%d missing=%d first_delivery_ms=%d close_ms=%s load=%s%n", name, session.client, label,
                outcome.messagesPerSecond(), outcome.cpuMicrosPerMessage(), outcome.allocatedBytesPerMessage(),
                stop.get("unique"), duplicates, missing, drain.firstDeliveryMillis(), stop.get("close_ms"), loadAverage());
        return new DrainResult(outcome, duplicates, missing);
    }

    /**
     * Closes the client's consumer once it has {@code expected} distinct messages (or they stopped
     * coming) and a little later; a consumer that cannot be closed gets its JVM replaced.
     */
    private Map<String, String> stopConsumer(String client, String scenario, long expected) {
        Map<String, String> reply = KeyValues.parse(worker(client).call("CONSUME_STOP expected=" + expected + " stall_ms=10000"
                + " settle_ms=" + SETTLE_MILLIS, Duration.ofMinutes(2)));
        if (!Boolean.parseBoolean(reply.get("close_ok"))) {
            out.println("# " + scenario + " " + client + ": the consumer did not close in time; its JVM is replaced");
            workers.remove(client).close();
        }
        return reply;
    }

    /** After a failure: closes the client's consumer if one is left running, so that the next scenario can start one. */
    private void abandonConsumer(String client) {
        try {
            if (workers.containsKey(client)) {
                stopConsumer(client, "cleanup", 0);
            }
        } catch (RuntimeException e) {
            progress.println("[bench] " + client + ": no consumer to close (" + e.getMessage() + ")");
        }
    }

    /**
     * Fills {@code topic} with at least {@code count} messages through the producer's JVM (mq-core,
     * asynchronous with auto-batching: fast, and not part of any figure) and answers how many the
     * broker holds. A send that fails (a timeout on a loaded machine) may still have been stored, so
     * what is missing is sent again, up to three times, and the broker's count is what a drain expects.
     */
    private long fill(Scenario scenario, String nameServer, EmbeddedRocketMQ mq, String topic, long count) {
        mq.createTopic(topic, REAL_TOPIC_QUEUES);
        progress.println("[bench] filling " + topic + " with " + count + " messages");
        long stored = 0;
        for (int attempt = 0; attempt < 4 && stored < count; attempt++) {
            ChildJvm producer = worker(PRODUCER);
            producer.call("START namesrv=" + nameServer + " group=bench_fill_" + (++sequence) + " batching=true", Duration.ofMinutes(1));
            RunOutcome filled;
            try {
                RunSpec spec = new RunSpec(scenario.name() + "-fill", Mode.ASYNC, topic, scenario.bytes(), 1,
                        scenario.inFlight(), 0, 0, count - stored);
                filled = RunOutcome.fromLine(producer.call("MEASURE " + spec.toLine(), Duration.ofMinutes(30)));
            } finally {
                stop(PRODUCER, scenario.name());
            }
            stored = Long.parseLong(KeyValues.parse(worker(OFFICIAL).call("STORED namesrv=" + nameServer + " topic=" + topic
                    + " expected=" + count + " timeout_ms=30000", Duration.ofSeconds(60))).get("stored"));
            out.printf(Locale.ROOT, "# %s: filled %s with %d messages of %d B in %.1f s (%.0f msgs/s, %d failed sends), stored=%d%n",
                    scenario.name(), topic, filled.messages(), scenario.bytes(), filled.elapsedNanos() / 1e9,
                    filled.messagesPerSecond(), filled.errors(), stored);
        }
        if (stored < count) {
            throw new IllegalStateException("filling " + topic + ": " + stored + " of " + count + " stored");
        }
        return stored;
    }

    /**
     * Each client's push consumer reads while the producer sends at {@code --e2e-rate}: per round and
     * client a fresh topic and group, the consumer started first, then {@code --e2e-warmup} of
     * unreported load, then a window of {@code --e2e-duration} whose deliveries give the latency
     * (handler time minus send time) and whose CPU and allocation are divided by the messages consumed
     * in it; then the producer stops and the consumer must have every acknowledged message, once.
     */
    private void runEndToEnd(Scenario scenario, String nameServer, EmbeddedRocketMQ mq) {
        String name = scenario.name();
        int index = scenarioIndex++;
        List<Session> sessions = new ArrayList<>();
        for (String client : options.clients) {
            sessions.add(new Session(client, null, null));
        }
        if (!options.warmup.isZero()) {
            warmUpProducer(scenario, nameServer, mq);
        }
        long[] duplicates = new long[sessions.size()];
        long[] missing = new long[sessions.size()];
        long[] expected = new long[sessions.size()];
        for (int round = 0; round < options.consumeRounds; round++) {
            List<Session> order = new ArrayList<>(sessions);
            if ((index + round) % 2 == 1) {
                Collections.reverse(order);
            }
            for (Session session : order) {
                if (session.failed) {
                    continue;
                }
                int i = sessions.indexOf(session);
                progress.println("[bench] " + name + " " + session.client + " " + (round + 1) + "/" + options.consumeRounds);
                try {
                    int id = ++sequence;
                    String topic = "bench-" + id + "-" + name + "-" + session.client;
                    mq.createTopic(topic, REAL_TOPIC_QUEUES);
                    worker(session.client).call("CONSUME_START namesrv=" + nameServer + " group=bench_" + session.client + "_"
                            + id + " topic=" + topic, Duration.ofMinutes(1));
                    RunOutcome window;
                    RunOutcome produced;
                    ChildJvm producer = worker(PRODUCER);
                    producer.call("START namesrv=" + nameServer + " group=bench_e2e_" + id + " batching=false", Duration.ofMinutes(1));
                    try {
                        // the producer's timed phase outlasts the window by a second, so that the load is steady throughout
                        RunSpec spec = new RunSpec(name + "-producer", Mode.ASYNC, topic, scenario.bytes(), 1, scenario.inFlight(),
                                options.e2eWarmup.toNanos(), options.e2eDuration.plusSeconds(1).toNanos(), 0, options.e2eRate);
                        Duration timeout = options.e2eWarmup.plus(options.e2eDuration).plus(Duration.ofMinutes(2));
                        java.util.concurrent.CompletableFuture<String> sending = java.util.concurrent.CompletableFuture.supplyAsync(
                                () -> producer.call("MEASURE " + spec.toLine(), timeout));
                        sleep(options.e2eWarmup.toMillis());
                        worker(session.client).call("CONSUME_MARK", Duration.ofSeconds(30));
                        sleep(options.e2eDuration.toMillis());
                        window = RunOutcome.fromLine(worker(session.client).call("CONSUME_READ", Duration.ofSeconds(30)));
                        produced = RunOutcome.fromLine(sending.join());
                    } finally {
                        stop(PRODUCER, name);
                    }
                    Map<String, String> stop = stopConsumer(session.client, name, produced.totalOk());
                    long dup = Long.parseLong(stop.get("duplicates"));
                    long miss = Long.parseLong(stop.get("missing"));
                    session.parts.add(window);
                    duplicates[i] += dup;
                    missing[i] += miss;
                    expected[i] += produced.totalOk();
                    out.printf(Locale.ROOT, "# %s %s round %d/%d: sent=%d send_errors=%d msgs_per_s=%.0f p50_us=%.1f p99_us=%.1f "
                                    + "cpu_us_per_msg=%.2f alloc_bytes_per_msg=%.0f unique=%s duplicates=%d missing=%d load=%s%n",
                            name, session.client, round + 1, options.consumeRounds, produced.totalOk(), produced.totalAttempted()
                                    - produced.totalOk(), window.messagesPerSecond(), window.p50Nanos() / 1e3,
                            window.p99Nanos() / 1e3, window.cpuMicrosPerMessage(), window.allocatedBytesPerMessage(),
                            stop.get("unique"), dup, miss, loadAverage());
                    if (produced.firstError() != null) {
                        out.println("# " + name + " producer first error: " + produced.firstError());
                    }
                } catch (RuntimeException e) {
                    failed(session, name, e);
                    abandonConsumer(session.client);
                }
            }
        }
        Map<String, RunOutcome> results = new LinkedHashMap<>();
        for (int i = 0; i < sessions.size(); i++) {
            Session session = sessions.get(i);
            if (session.failed) {
                continue;
            }
            RunOutcome outcome = RunOutcome.combine(session.parts);
            long errors = duplicates[i] + missing[i];
            out.println("DELIVERY scenario=" + name + " client=" + session.client + " rounds=" + session.parts.size()
                    + " expected=" + expected[i] + " duplicates=" + duplicates[i] + " missing=" + missing[i]);
            report(name, session.client, outcome, errors);
            results.put(session.client, outcome);
            if (errors > 0) {
                failures++;
            }
        }
        printRatios(name, results);
    }

    /**
     * A backlog far larger than a consumer's heap: one topic filled with {@code --backlog-mib} of
     * {@code --backlog-bytes} bodies, then each client's push consumer (its defaults, a group of its
     * own from the first offset) in a fresh JVM of {@code --backlog-heap}, every message handled in
     * {@code --backlog-handler-ms}, for {@code --backlog-duration}: one {@code BACKLOG} line each
     * with the heap after collections, the heap sampled, the live heap at the end, the cache sampled
     * against the client's caps, and the out-of-memory errors seen (the JVM's log included). Ours
     * fails the run if it ran out of memory or its cache went past its byte cap by more than its
     * pulls under way can bring (one per queue, each of at most {@code pullBatchSize} messages).
     */
    private void runBacklog(Scenario scenario, String nameServer, EmbeddedRocketMQ mq) {
        String name = scenario.name();
        long count = (options.backlogMib * 1024 * 1024 + scenario.bytes() - 1) / scenario.bytes();
        String topic = "bench-" + (++sequence) + "-" + name;
        try {
            count = fill(scenario, nameServer, mq, topic, count);
        } catch (RuntimeException e) {
            failures++;
            out.println("FAILED scenario=" + name + " client=" + PRODUCER + " error=" + KeyValues.escape(String.valueOf(e.getMessage())));
            return;
        }
        for (String client : options.clients) {
            String jvmName = client + "-backlog-" + (++sequence);
            progress.println("[bench] " + name + " " + client);
            ChildJvm worker = null;
            try {
                worker = startWorker(jvmName, client, List.of("-Xms" + options.backlogHeap, "-Xmx" + options.backlogHeap));
                Map<String, String> r = KeyValues.parse(worker.call("BACKLOG namesrv=" + nameServer + " group=bench_"
                        + client + "_" + sequence + " topic=" + topic + " handler_ms=" + options.backlogHandlerMillis
                        + " duration_ms=" + options.backlogDuration.toMillis() + " sample_ms=100",
                        options.backlogDuration.plus(Duration.ofMinutes(3))));
                long oom = Long.parseLong(r.get("oom")) + outOfMemoryErrorsLogged(jvmName, client);
                out.printf(Locale.ROOT, "BACKLOG scenario=%s client=%s backlog_messages=%d backlog_mib=%d handler_ms=%d "
                                + "heap_max_mib=%s seconds=%s handled=%s max_heap_after_gc_mib=%s max_heap_used_mib=%s "
                                + "max_live_heap_mib=%s live_heap_end_mib=%s collections=%s max_cached_messages=%s max_cached_mib=%s "
                                + "end_cached_messages=%s end_cached_mib=%s cap_messages=%s cap_mib=%s caps=%s oom=%d load=%s%n",
                        name, client, count, count * scenario.bytes() / (1024 * 1024), options.backlogHandlerMillis,
                        r.get("heap_max_mib"), r.get("seconds"), r.get("handled"), r.get("max_heap_after_gc_mib"),
                        r.get("max_heap_used_mib"), r.get("max_live_heap_mib"), r.get("live_heap_end_mib"), r.get("collections"),
                        r.get("max_cached_messages"), r.get("max_cached_mib"), r.get("end_cached_messages"),
                        r.get("end_cached_mib"), r.get("cap_messages"), r.get("cap_mib"), r.get("caps"), oom, loadAverage());
                if (client.equals(OURS)) {
                    // a pull is sent while the byte cap is not reached, so each of the 8 queues may bring one more answer
                    double allowedMib = Double.parseDouble(r.get("cap_mib"))
                            + REAL_TOPIC_QUEUES * 32.0 * scenario.bytes() / (1024 * 1024);
                    if (oom > 0 || Double.parseDouble(r.get("max_cached_mib")) > allowedMib) {
                        failures++;
                        out.println("FAILED scenario=" + name + " client=" + client + " error=" + KeyValues.escape(
                                "oom=" + oom + " max_cached_mib=" + r.get("max_cached_mib") + " allowed " + allowedMib));
                    }
                }
            } catch (RuntimeException e) {
                failures++;
                long oom = outOfMemoryErrorsLogged(jvmName, client);
                out.println("FAILED scenario=" + name + " client=" + client + " error=" + KeyValues.escape(
                        String.valueOf(e.getMessage())) + " oom=" + oom);
            } finally {
                if (worker != null) {
                    worker.close();
                }
            }
        }
    }

    /**
     * How often "OutOfMemoryError" appears in the log of the JVM {@code jvmName} and, for Apache's
     * client, in its own log files (which all its JVMs of the run share).
     */
    private long outOfMemoryErrorsLogged(String jvmName, String client) {
        long count = 0;
        List<Path> logs = new ArrayList<>(List.of(work.resolve(jvmName + "-worker.log")));
        Path official = work.resolve("official-home").resolve("logs");
        if (!client.equals(OURS) && Files.isDirectory(official)) {
            try (var files = Files.walk(official)) {
                files.filter(Files::isRegularFile).forEach(logs::add);
            } catch (IOException e) {
                progress.println("[bench] could not read " + official + ": " + e);
            }
        }
        for (Path log : logs) {
            try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                count += lines.filter(l -> l.contains("OutOfMemoryError")).count();
            } catch (IOException | UncheckedIOException e) {
                // no such log
            }
        }
        return count;
    }

    /**
     * Unreported sends of the producer at the e2e rate for {@code --e2e-warmup}, so that the first
     * consumer to be measured does not meet a cold producer (its JIT, its connections).
     */
    private void warmUpProducer(Scenario scenario, String nameServer, EmbeddedRocketMQ mq) {
        String topic = "bench-" + (++sequence) + "-" + scenario.name() + "-warmup";
        mq.createTopic(topic, REAL_TOPIC_QUEUES);
        progress.println("[bench] " + scenario.name() + " producer warm-up");
        ChildJvm producer = worker(PRODUCER);
        producer.call("START namesrv=" + nameServer + " group=bench_e2e_warmup batching=false", Duration.ofMinutes(1));
        try {
            RunSpec spec = new RunSpec(scenario.name() + "-producer-warmup", Mode.ASYNC, topic, scenario.bytes(), 1,
                    scenario.inFlight(), 0, options.e2eWarmup.toNanos(), 0, options.e2eRate);
            producer.call("MEASURE " + spec.toLine(), options.e2eWarmup.plus(Duration.ofMinutes(2)));
        } finally {
            stop(PRODUCER, scenario.name());
        }
    }

    private void printRatios(String name, Map<String, RunOutcome> results) {
        RunOutcome ours = results.get(OURS);
        RunOutcome official = results.get(OFFICIAL);
        if (ours != null && official != null) {
            printRatio(name, ours, official);
        }
    }

    /** {@code p99=-} when neither measured a latency (a drain). */
    private void printRatio(String label, RunOutcome ours, RunOutcome official) {
        boolean latencies = ours.p99Nanos() != 0 || official.p99Nanos() != 0;
        String ratio = String.format(Locale.ROOT, "msgs_per_s=%.2f p99=%s cpu=%.2f alloc=%.2f",
                ratio(ours.messagesPerSecond(), official.messagesPerSecond()),
                latencies ? String.format(Locale.ROOT, "%.2f", ratio(ours.p99Nanos(), official.p99Nanos())) : "-",
                ratio(ours.cpuMicrosPerMessage(), official.cpuMicrosPerMessage()),
                ratio(ours.allocatedBytesPerMessage(), official.allocatedBytesPerMessage()));
        out.println("RATIO scenario=" + label + " " + ratio);
        ratios.add("| " + label + " | " + ratio.replaceAll("\\w+=", "").replace(" ", " | ") + " |");
    }

    private void failed(Session session, String scenario, RuntimeException e) {
        if (!session.failed) {
            failures++;
        }
        session.failed = true;
        out.println("FAILED scenario=" + scenario + " client=" + session.client + " error="
                + KeyValues.escape(String.valueOf(e.getMessage())));
        progress.println("[bench] " + scenario + " " + session.client + " failed: " + e.getMessage());
    }

    /** Closes the client's producer; a client that cannot be closed gets its JVM replaced. */
    private void stop(String client, String scenario) {
        ChildJvm worker = workers.get(client);
        if (worker == null) {
            return;
        }
        String reply = worker.call("STOP", Duration.ofMinutes(1));
        if (!Boolean.parseBoolean(KeyValues.parse(reply).get("close_ok"))) {
            out.println("# " + scenario + " " + client + ": the client did not close in time; its JVM is replaced");
            workers.remove(client).close();
        }
    }

    /**
     * Asks the broker, through Apache's client, how many messages the run's topic holds. For sync
     * and async runs every acknowledged message must be there (missing ones count as errors); for
     * oneway runs prints how many arrived of those sent.
     */
    private long checkStored(Scenario scenario, String client, String topic, String nameServer, RunOutcome outcome) {
        long expected = outcome.totalOk();
        long stored = Long.parseLong(KeyValues.parse(worker(OFFICIAL).call("STORED namesrv=" + nameServer + " topic=" + topic
                + " expected=" + expected + " timeout_ms=30000", Duration.ofSeconds(60))).get("stored"));
        if (scenario.mode() == Mode.ONEWAY) {
            printLoss(scenario.name(), client, expected, stored);
            return 0;
        }
        long missing = Math.max(0, expected - stored);
        out.println("STORED scenario=" + scenario.name() + " client=" + client + " acked=" + expected + " stored=" + stored
                + " missing=" + missing);
        return missing;
    }

    /** {@code stored}: what the broker holds (real) or received (null broker), warm-up included like {@code sent}. */
    private void printLoss(String scenario, String client, long sent, long stored) {
        out.printf(Locale.ROOT, "LOSS scenario=%s client=%s sent=%d stored=%d lost_pct=%.1f%n", scenario, client, sent, stored,
                sent == 0 ? 0.0 : Math.max(0, sent - stored) * 100.0 / sent);
    }

    /** Messages the null broker received for {@code topic} (a fresh topic per client and scenario), by any kind of send. */
    private static long arrivals(ChildJvm nullBroker, String topic) {
        return Long.parseLong(KeyValues.parse(nullBroker.call("RECEIVED topic=" + topic, Duration.ofSeconds(10))).get("received"));
    }

    /** The null broker's count of messages to {@code topic} once it stopped moving for a second (at most 15 s). */
    private static long settledArrivals(ChildJvm nullBroker, String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long last = arrivals(nullBroker, topic);
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - stableSince < Duration.ofSeconds(1).toNanos()) {
            sleep(200);
            long now = arrivals(nullBroker, topic);
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double ratio(double ours, double official) {
        return official == 0 ? Double.NaN : ours / official;
    }

    private ChildJvm worker(String client) {
        return workers.computeIfAbsent(client, c -> startWorker(c, c, List.of("-Xms" + options.workerHeap,
                "-Xmx" + options.workerHeap)));
    }

    /**
     * A JVM named {@code name} for {@code client}'s code ({@value #OURS} and {@value #PRODUCER}:
     * mq-core's; otherwise Apache's) with the heap options {@code heap}.
     */
    private ChildJvm startWorker(String name, String client, List<String> heap) {
        progress.println("[bench] starting the " + name + " client's JVM");
        List<String> jvm = new ArrayList<>(heap);
        jvm.addAll(List.of("-XX:+UseG1GC", "-XX:-UsePerfData", "-Djava.net.preferIPv4Stack=true"));
        if (options.clients.contains(client)) { // for the clients under test (e.g. a JFR recording of one), not for
            jvm.addAll(options.workerJvmArgs); // the producer or a JVM started only to count what the broker stores
        }
        String classpath;
        String commands;
        if (client.equals(OURS) || client.equals(PRODUCER)) {
            jvm.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            classpath = Classpaths.self();
            commands = "dev.mq.benchmarks.ours.OursCommands";
        } else {
            Path home = work.resolve("official-home");
            jvm.add("-Duser.home=" + home);
            jvm.add("-Drocketmq.log.root=" + home.resolve("logs"));
            List<String> entries = new ArrayList<>();
            for (Path jar : EmbeddedRocketMQ.runtimeLibraries()) {
                if (!SERVER_JARS.matcher(jar.getFileName().toString()).matches()) {
                    entries.add(jar.toString());
                }
            }
            entries.add(Classpaths.ownClassesOnly(work).toString());
            classpath = String.join(File.pathSeparator, entries);
            commands = "dev.mq.benchmarks.official.OfficialCommands";
        }
        ChildJvm worker = ChildJvm.builder(name, "dev.mq.benchmarks.worker.WorkerMain")
                .jvmOptions(jvm)
                .classpath(classpath)
                .arguments(List.of(commands))
                .replyPrefix(WorkerMain.PREFIX)
                .log(work.resolve(name + "-worker.log"))
                .start();
        try {
            worker.awaitReady(CHILD_START_TIMEOUT);
            return worker;
        } catch (RuntimeException e) {
            worker.kill();
            throw e;
        }
    }

    private void printSummary() {
        if (summary.isEmpty()) {
            return;
        }
        out.println();
        out.println("| scenario | client | msgs/s | p50 µs | p99 µs | CPU µs/msg | alloc B/msg | errors |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        summary.forEach(out::println);
        if (!ratios.isEmpty()) {
            out.println();
            out.println("| scenario | msgs/s ours/official | p99 ours/official | CPU ours/official | alloc ours/official |");
            out.println("|---|---:|---:|---:|---:|");
            ratios.forEach(out::println);
        }
        out.println();
    }

    private static String environment() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "cores=%d memory_gib=%.1f jdk=%s vm=%s os=%s load=%s",
                Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / (1024.0 * 1024 * 1024),
                System.getProperty("java.version"), System.getProperty("java.vm.name").replace(' ', '_'),
                (System.getProperty("os.name") + "-" + System.getProperty("os.arch")).replace(' ', '_'), loadAverage());
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + "," + parts[1] + "," + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private void deleteWork() {
        try {
            Directories.deleteRecursively(work);
        } catch (UncheckedIOException e) {
            System.err.println("[bench] could not delete " + work + ": " + e.getCause());
        }
    }
}
