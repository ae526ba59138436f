package dev.mq.benchmarks.jmh;

import dev.mq.benchmarks.ours.OursMessages;
import dev.mq.core.Message;
import dev.mq.core.internal.protocol.MessageProperties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link MessageProperties#encode(Message, String, boolean)}: the property string of the suite's
 * message (one user property, a tag, a key, {@code UNIQ_KEY}, {@code WAIT}) that goes into the header.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PropertiesEncodeBenchmark {

    private Message message;
    private final String id = "7F0000010F2C1B2E3D4C00000000A1B2";

    @Setup
    public void setUp() {
        message = OursMessages.message("BenchTopic", new byte[16]);
    }

    @Benchmark
    public String encode() {
        return MessageProperties.encode(message, id, true);
    }
}
