package dev.mq.benchmarks.ours;

import dev.mq.benchmarks.ceiling.Ceiling;
import dev.mq.benchmarks.harness.BenchClient;
import dev.mq.benchmarks.harness.BenchConsumer;
import dev.mq.benchmarks.worker.ClientWorker;
import java.util.Map;

/** The worker of mq-core; besides the client commands, {@code CEILING}. */
public final class OursCommands extends ClientWorker {

    @Override
    protected BenchClient newClient() {
        return new OursClient();
    }

    @Override
    protected BenchConsumer newConsumer() {
        return new OursConsumer();
    }

    @Override
    protected String other(String verb, Map<String, String> args) throws Exception {
        if (!verb.equals("CEILING")) {
            return super.other(verb, args);
        }
        double rate = Ceiling.measure(args.get("address"), Integer.parseInt(args.get("bytes")),
                Integer.parseInt(args.get("window")), Long.parseLong(args.get("warmup_ns")),
                Long.parseLong(args.get("duration_ns")));
        return "msgs_per_s=" + Math.round(rate);
    }
}
