package dev.mq.benchmarks.ours;

import dev.mq.benchmarks.ceiling.Ceiling;
import dev.mq.benchmarks.harness.KeyValues;
import dev.mq.benchmarks.worker.RunCommand;
import dev.mq.benchmarks.worker.WorkerCommands;
import java.util.Map;

/** The worker of mq-core: {@code RUN} and {@code CEILING}. */
public final class OursCommands implements WorkerCommands {

    @Override
    public String handle(String verb, String arguments) throws Exception {
        Map<String, String> args = KeyValues.parse(arguments);
        switch (verb) {
            case "RUN" -> {
                return RunCommand.run(new OursClient(), arguments);
            }
            case "CEILING" -> {
                double rate = Ceiling.measure(args.get("address"), Integer.parseInt(args.get("bytes")),
                        Integer.parseInt(args.get("window")), Long.parseLong(args.get("warmup_ns")),
                        Long.parseLong(args.get("duration_ns")));
                return "msgs_per_s=" + Math.round(rate);
            }
            default -> throw new IllegalArgumentException("unknown command " + verb);
        }
    }
}
