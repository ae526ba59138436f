package dev.mq.benchmarks;

import dev.mq.benchmarks.harness.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The suite's command-line options; {@link #usage()} lists them. */
final class Options {

    Duration warmup = Duration.ofSeconds(1);
    Duration duration = Duration.ofSeconds(3);
    long messages;
    int rounds = 3;
    List<Scenario.BrokerKind> brokers = List.of(Scenario.BrokerKind.NULL, Scenario.BrokerKind.REAL);
    List<Mode> modes = List.of(Mode.SYNC, Mode.ASYNC, Mode.ONEWAY);
    List<Integer> sizes = List.of(128, 1024, 16384);
    int threads = 4;
    int inFlight = Scenario.STANDARD_IN_FLIGHT;
    List<Integer> inFlightSweep = List.of(64, 256);
    int sweepBytes = 1024;
    List<Scenario.BrokerKind> sweepBrokers = List.of(Scenario.BrokerKind.REAL);
    Duration brokerWarmup = Duration.ofSeconds(2);
    List<String> workerJvmArgs = List.of();
    List<String> clients = List.of("ours", "official");
    List<Pattern> filters = List.of();
    boolean ceiling = true;
    /** Async scenarios at these sizes run a second time with both clients' auto-batching on. */
    List<Integer> batchedSizes = List.of(1024);
    String workerHeap = "1g";
    /** The consume suite ({@code real-drain-*}, {@code real-e2e-*}) instead of the send suite. */
    boolean consume;
    int consumeBytes = 1024;
    int consumeRounds = 2;
    long drainMessages = 500_000;
    int e2eRate = 2_000;
    Duration e2eWarmup = Duration.ofSeconds(5);
    Duration e2eDuration = Duration.ofSeconds(10);
    /** real-backlog: the backlog's size, the bodies, the consumer JVM's heap, the handler's time, how long. */
    long backlogMib = 1024;
    int backlogBytes = 64 * 1024;
    String backlogHeap = "256m";
    long backlogHandlerMillis = 100;
    Duration backlogDuration = Duration.ofSeconds(60);

    static String usage() {
        return """
                usage: java -jar mq-benchmarks.jar [options]       the side-by-side suite
                       java -jar mq-benchmarks.jar jmh [JMH options] the JMH hot-path benchmarks (e.g. -prof gc)

                  --warmup=1s              warm-up per client and scenario (ms, s or m)
                  --duration=3s            timed window per client and scenario
                  --messages=N             send exactly N messages in the timed phase instead of --duration
                  --rounds=3               cut the timed window into this many phases that alternate between
                                           the clients, so that outside load falls on both alike
                  --scenarios=a,b*         only scenarios whose names match (exact or with * wildcards),
                                           e.g. real-async-1024 or 'null-*'
                  --brokers=null,real      null: acknowledges at once, in its own JVM; real: Apache RocketMQ
                  --modes=sync,async,oneway
                  --sizes=128,1024,16384   body sizes in bytes
                  --threads=4              sender threads for sync and oneway
                  --inflight=1024          asynchronous sends in flight
                  --inflight-sweep=64,256  extra async scenarios at --sweep-bytes with these in-flight limits
                                           (empty to skip)
                  --sweep-bytes=1024
                  --sweep-brokers=real     brokers the in-flight sweep runs on
                  --broker-warmup=2s       unreported async load from each client before a broker's first
                                           scenario, so that no client meets a cold broker
                  --clients=ours,official
                  --ceiling=true           measure the pipelined-loop ceiling against the null broker
                  --batched-sizes=1024     async scenarios at these sizes also run with each client's
                                           auto-batching on (-batched; empty to skip)
                  --worker-heap=1g         heap of each client's JVM
                  --worker-jvm-args='...'  extra options for the client JVMs, e.g. a JFR recording
                                           (with --clients=ours or official, so that only one writes it;
                                           only the JVMs of --clients get them)

                consuming (real broker only; one producer, mq-core's, sends for both consumers):
                  --consume                the consume suite (real-drain-<bytes>, real-e2e-<bytes>) instead of
                                           the send suite; --scenarios also selects them by name
                  --consume-bytes=1024     body size of the consume scenarios
                  --consume-rounds=2       drains (and e2e windows) per client, alternating who goes first
                  --drain-messages=500000  messages the drained topic is filled with (each client drains it
                                           once unreported first, unless --warmup=0s)
                  --e2e-rate=2000          msgs/s the producer sends at in real-e2e
                  --e2e-warmup=5s          unreported consumption before each e2e window
                  --e2e-duration=10s       each e2e window
                  real-backlog-<bytes> (only by name, e.g. --consume --scenarios=real-backlog-*): a topic
                  filled with --backlog-mib of --backlog-bytes bodies, then each consumer in a JVM of
                  --backlog-heap with a handler of --backlog-handler-ms for --backlog-duration: its heap
                  (after each GC, sampled) and cache (sampled) against its caps
                  --backlog-mib=1024  --backlog-bytes=65536  --backlog-heap=256m  --backlog-handler-ms=100
                  --backlog-duration=60s
                """;
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (String arg : args) {
            if (arg.equals("--consume")) {
                arg = "--consume=true";
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + usage());
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "warmup" -> o.warmup = duration(value);
                case "duration" -> o.duration = duration(value);
                case "messages" -> o.messages = Long.parseLong(value);
                case "rounds" -> o.rounds = Integer.parseInt(value);
                case "scenarios" -> o.filters = list(value).stream().map(Options::glob).toList();
                case "brokers" -> o.brokers = list(value).stream().map(Scenario.BrokerKind::of).toList();
                case "modes" -> o.modes = list(value).stream().map(Mode::of).toList();
                case "sizes" -> o.sizes = list(value).stream().map(Integer::parseInt).toList();
                case "threads" -> o.threads = Integer.parseInt(value);
                case "inflight" -> o.inFlight = Integer.parseInt(value);
                case "inflight-sweep" -> o.inFlightSweep = list(value).stream().map(Integer::parseInt).toList();
                case "sweep-bytes" -> o.sweepBytes = Integer.parseInt(value);
                case "sweep-brokers" -> o.sweepBrokers = list(value).stream().map(Scenario.BrokerKind::of).toList();
                case "broker-warmup" -> o.brokerWarmup = duration(value);
                case "worker-jvm-args" -> o.workerJvmArgs = value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
                case "clients" -> o.clients = list(value).stream().peek(Options::checkClient).toList();
                case "ceiling" -> o.ceiling = Boolean.parseBoolean(value);
                case "batched-sizes" -> o.batchedSizes = list(value).stream().map(Integer::parseInt).toList();
                case "worker-heap" -> o.workerHeap = value;
                case "consume" -> o.consume = Boolean.parseBoolean(value);
                case "consume-bytes" -> o.consumeBytes = Integer.parseInt(value);
                case "consume-rounds" -> o.consumeRounds = Integer.parseInt(value);
                case "drain-messages" -> o.drainMessages = Long.parseLong(value);
                case "e2e-rate" -> o.e2eRate = Integer.parseInt(value);
                case "e2e-warmup" -> o.e2eWarmup = duration(value);
                case "e2e-duration" -> o.e2eDuration = duration(value);
                case "backlog-mib" -> o.backlogMib = Long.parseLong(value);
                case "backlog-bytes" -> o.backlogBytes = Integer.parseInt(value);
                case "backlog-heap" -> o.backlogHeap = value;
                case "backlog-handler-ms" -> o.backlogHandlerMillis = Long.parseLong(value);
                case "backlog-duration" -> o.backlogDuration = duration(value);
                default -> throw new IllegalArgumentException("unknown option --" + name + "\n" + usage());
            }
        }
        if (o.threads < 1 || o.inFlight < 1 || o.rounds < 1 || o.messages < 0 || o.duration.isNegative() || o.warmup.isNegative()) {
            throw new IllegalArgumentException("threads, inflight and rounds must be positive, durations and messages not negative");
        }
        if (o.consumeBytes < 1 || o.consumeRounds < 1 || o.drainMessages < 1 || o.e2eRate < 1
                || o.e2eDuration.isNegative() || o.e2eDuration.isZero() || o.e2eWarmup.isNegative()) {
            throw new IllegalArgumentException("consume-bytes, consume-rounds, drain-messages, e2e-rate and e2e-duration "
                    + "must be positive, e2e-warmup not negative");
        }
        if (o.backlogMib < 1 || o.backlogBytes < 1 || o.backlogHandlerMillis < 0 || o.backlogDuration.isNegative()
                || o.backlogDuration.isZero()) {
            throw new IllegalArgumentException("backlog-mib, backlog-bytes and backlog-duration must be positive, "
                    + "backlog-handler-ms not negative");
        }
        return o;
    }

    /**
     * The scenarios to run, in order: by broker, then mode, then size; the in-flight sweep after its
     * broker's async ones; then the consume scenarios. Without {@code --scenarios} that is the send
     * suite, or with {@code --consume} the consume suite; with it, the scenarios of both that match
     * (of the consume suite only, with {@code --consume}). {@code real-backlog-<bytes>} (minutes long)
     * runs only when a {@code --scenarios} pattern names it (says "backlog").
     */
    List<Scenario> scenarios() {
        List<Scenario> consuming = new ArrayList<>();
        List<Scenario> byNameOnly = new ArrayList<>();
        if (brokers.contains(Scenario.BrokerKind.REAL)) {
            consuming.add(Scenario.consuming(Scenario.BrokerKind.REAL, Scenario.Consumption.DRAIN, consumeBytes));
            consuming.add(Scenario.consuming(Scenario.BrokerKind.REAL, Scenario.Consumption.E2E, consumeBytes));
            byNameOnly.add(Scenario.consuming(Scenario.BrokerKind.REAL, Scenario.Consumption.BACKLOG, backlogBytes));
        }
        Set<Scenario> all = new LinkedHashSet<>();
        if (consume) {
            all.addAll(consuming);
        } else {
            all.addAll(sending());
            if (!filters.isEmpty()) {
                all.addAll(consuming);
            }
        }
        if (filters.stream().anyMatch(p -> p.pattern().contains("backlog"))) { // named, not only matched by real-*
            all.addAll(byNameOnly);
        }
        List<Scenario> selected = new ArrayList<>();
        for (Scenario s : all) {
            if (filters.isEmpty() || filters.stream().anyMatch(p -> p.matcher(s.name()).matches())) {
                selected.add(s);
            }
        }
        return selected;
    }

    private Set<Scenario> sending() {
        Set<Scenario> all = new LinkedHashSet<>();
        for (Scenario.BrokerKind broker : brokers) {
            for (Mode mode : modes) {
                for (int size : sizes) {
                    all.add(new Scenario(broker, mode, size, mode == Mode.ASYNC ? inFlight : 0, false));
                }
                if (mode == Mode.ASYNC) {
                    for (int size : batchedSizes) {
                        all.add(new Scenario(broker, mode, size, inFlight, true));
                    }
                }
                if (mode == Mode.ASYNC && sweepBrokers.contains(broker)) {
                    for (int n : inFlightSweep) {
                        all.add(new Scenario(broker, mode, sweepBytes, n, false));
                    }
                }
            }
        }
        return all;
    }

    private static void checkClient(String client) {
        if (!client.equals("ours") && !client.equals("official")) {
            throw new IllegalArgumentException("unknown client '" + client + "': ours or official");
        }
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    static Duration duration(String value) {
        String v = value.trim();
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        }
        throw new IllegalArgumentException("duration '" + value + "': use e.g. 500ms, 3s or 1m");
    }
}
