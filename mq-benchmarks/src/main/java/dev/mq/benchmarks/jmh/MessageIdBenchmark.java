package dev.mq.benchmarks.jmh;

import dev.mq.core.internal.protocol.MessageIdGenerator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/** {@link MessageIdGenerator#next()}: one {@code UNIQ_KEY} per message, from one thread and from four. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MessageIdBenchmark {

    private final MessageIdGenerator generator = MessageIdGenerator.shared();

    @Benchmark
    public String next() {
        return generator.next();
    }

    @Benchmark
    @Threads(4)
    public String nextFromFourThreads() {
        return generator.next();
    }
}
