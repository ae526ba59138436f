package dev.mq.benchmarks.official;

import dev.mq.benchmarks.harness.KeyValues;
import dev.mq.benchmarks.worker.RunCommand;
import dev.mq.benchmarks.worker.WorkerCommands;
import java.util.HashMap;
import java.util.Map;

/** The worker of Apache's client: {@code RUN}, and {@code STORED} to count what a topic holds. */
public final class OfficialCommands implements WorkerCommands {

    private final Map<String, StoredCounter> counters = new HashMap<>();

    @Override
    public String handle(String verb, String arguments) throws Exception {
        Map<String, String> args = KeyValues.parse(arguments);
        switch (verb) {
            case "RUN" -> {
                return RunCommand.run(new OfficialClient(), arguments);
            }
            case "STORED" -> {
                String nameServer = args.get("namesrv");
                StoredCounter counter = counters.get(nameServer);
                if (counter == null) {
                    counter = new StoredCounter(nameServer);
                    counters.put(nameServer, counter);
                }
                long stored = counter.awaitStored(args.get("topic"), Long.parseLong(args.get("expected")),
                        Long.parseLong(args.get("timeout_ms")));
                return "stored=" + stored;
            }
            default -> throw new IllegalArgumentException("unknown command " + verb);
        }
    }

    @Override
    public void close() {
        counters.values().forEach(StoredCounter::close);
    }
}
