package dev.mq.benchmarks;

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
 * oneway sends (stored by the real broker, received by the null broker); a {@code CEILING} line; and
 * summary tables. See docs/performance.md.
 */
final class SuiteRunner {

    private static final String OURS = "ours";
    private static final String OFFICIAL = "official";
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
                + (options.messages > 0 ? options.messages + "msgs" : options.duration.toMillis() + "ms"));
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
                runScenario(scenario, mq.nameServerAddress(), mq, null);
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
                    printLoss(name, session.client, outcome.totalOk(), settledOnewayArrivals(nullBroker, session.topic));
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
                out.println(String.format(Locale.ROOT,
                        "RESULT scenario=%s client=%s msgs_per_s=%.0f p50_us=%.1f p99_us=%.1f cpu_us_per_msg=%.2f "
                                + "alloc_bytes_per_msg=%.0f errors=%d",
                        name, session.client, outcome.messagesPerSecond(), outcome.p50Nanos() / 1e3,
                        outcome.p99Nanos() / 1e3, outcome.cpuMicrosPerMessage(), outcome.allocatedBytesPerMessage(), errors));
                summary.add(String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %.2f | %.0f | %d |", name,
                        session.client, outcome.messagesPerSecond(), outcome.p50Nanos() / 1e3, outcome.p99Nanos() / 1e3,
                        outcome.cpuMicrosPerMessage(), outcome.allocatedBytesPerMessage(), errors));
                if (errors > 0) {
                    failures++;
                }
            } catch (RuntimeException e) {
                failed(session, name, e);
            }
        }
        RunOutcome ours = results.get(OURS);
        RunOutcome official = results.get(OFFICIAL);
        if (ours != null && official != null) {
            printRatio(name, ours, official);
        }
        RunOutcome officialUnbatched = scenario.batching() ? officialResults.get(scenario.unbatched().name()) : null;
        if (ours != null && officialUnbatched != null) {
            printRatio(name + "-vs-unbatched-official", ours, officialUnbatched);
        }
    }

    private void printRatio(String label, RunOutcome ours, RunOutcome official) {
        String ratio = String.format(Locale.ROOT, "msgs_per_s=%.2f p99=%.2f cpu=%.2f alloc=%.2f",
                ratio(ours.messagesPerSecond(), official.messagesPerSecond()),
                ratio(ours.p99Nanos(), official.p99Nanos()),
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

    private static long onewayArrivals(ChildJvm nullBroker, String topic) {
        return Long.parseLong(KeyValues.parse(nullBroker.call("ONEWAY topic=" + topic, Duration.ofSeconds(10))).get("received"));
    }

    /** The null broker's count of oneway sends to {@code topic} once it stopped moving for a second (at most 15 s). */
    private static long settledOnewayArrivals(ChildJvm nullBroker, String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long last = onewayArrivals(nullBroker, topic);
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - stableSince < Duration.ofSeconds(1).toNanos()) {
            sleep(200);
            long now = onewayArrivals(nullBroker, topic);
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
        return workers.computeIfAbsent(client, this::startWorker);
    }

    private ChildJvm startWorker(String client) {
        progress.println("[bench] starting the " + client + " client's JVM");
        List<String> jvm = new ArrayList<>(List.of("-Xms" + options.workerHeap, "-Xmx" + options.workerHeap,
                "-XX:+UseG1GC", "-XX:-UsePerfData", "-Djava.net.preferIPv4Stack=true"));
        jvm.addAll(options.workerJvmArgs);
        String classpath;
        String commands;
        if (client.equals(OURS)) {
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
        ChildJvm worker = ChildJvm.builder(client, "dev.mq.benchmarks.worker.WorkerMain")
                .jvmOptions(jvm)
                .classpath(classpath)
                .arguments(List.of(commands))
                .replyPrefix(WorkerMain.PREFIX)
                .log(work.resolve(client + "-worker.log"))
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
