package dev.mq.benchmarks.jmh;

import dev.mq.benchmarks.harness.MessageSpec;
import dev.mq.core.internal.protocol.Compression;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A producer's compression of one body ({@link Compression.Codec#compress}, what a send does for a
 * body at or above the threshold) and a consumer's decompression of it ({@link Compression#decompress},
 * what reading it back does), per codec, on the suites' JSON-like body. One thread: ns/op is the CPU
 * one message costs. The compressed size is printed once per codec ({@code compressed: ...}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CompressionBenchmark {

    @Param({"ZLIB", "ZSTD", "LZ4"})
    public String codec;

    @Param({"16384"})
    public int bytes;

    /** The default level, as a producer configured with only the type sends. */
    @Param({"5"})
    public int level;

    private Compression.Codec chosen;
    private byte[] body;
    private byte[] compressed;

    @Setup(Level.Trial)
    public void setUp() {
        chosen = Compression.Codec.valueOf(codec);
        body = MessageSpec.body(bytes);
        compressed = chosen.compress(body, level);
        System.out.printf("%ncompressed: %s level %d, %d B -> %d B (%.1f%%)%n", codec, level, body.length,
                compressed.length, 100.0 * compressed.length / body.length);
    }

    @Benchmark
    public byte[] compress() {
        return chosen.compress(body, level);
    }

    @Benchmark
    public byte[] decompress() {
        return Compression.decompress(compressed, chosen.sysFlag());
    }
}
