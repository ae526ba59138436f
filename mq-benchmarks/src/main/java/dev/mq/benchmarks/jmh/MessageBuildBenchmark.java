package dev.mq.benchmarks.jmh;

import dev.mq.benchmarks.ours.OursMessages;
import dev.mq.core.Message;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the application itself spends per send in the suite: building the immutable {@link Message}
 * (topic, tag, key, one property, a shared body). Its B/op is part of every mq-core figure of the
 * suite, to be subtracted when looking at the engine alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MessageBuildBenchmark {

    private final byte[] body = new byte[1024];

    @Benchmark
    public Message build() {
        return OursMessages.message("BenchTopic", body);
    }
}
