package dev.mq.benchmarks.official;

import dev.mq.benchmarks.harness.BenchClient;
import dev.mq.benchmarks.harness.BenchConsumer;
import dev.mq.benchmarks.worker.ClientWorker;
import java.util.HashMap;
import java.util.Map;

/** The worker of Apache's client; besides the client commands, {@code STORED} to count what a topic holds. */
public final class OfficialCommands extends ClientWorker {

    private final Map<String, StoredCounter> counters = new HashMap<>();

    @Override
    protected BenchClient newClient() {
        return new OfficialClient();
    }

    @Override
    protected BenchConsumer newConsumer() {
        return new OfficialConsumer();
    }

    @Override
    protected String other(String verb, Map<String, String> args) throws Exception {
        if (!verb.equals("STORED")) {
            return super.other(verb, args);
        }
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

    @Override
    public void close() {
        counters.values().forEach(StoredCounter::close);
    }
}
