package dev.mq.benchmarks.jmh;

import dev.mq.benchmarks.harness.MessageSpec;
import dev.mq.benchmarks.ours.OursMessages;
import dev.mq.core.Message;
import dev.mq.core.internal.protocol.MessageIdGenerator;
import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.transport.FrameEncoder;
import dev.mq.core.internal.transport.OutboundFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link FrameEncoder#encode}: a SEND_MESSAGE_V2 frame (hand-written JSON header, body copied once)
 * into one pooled direct buffer, which is then released, as the socket write would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameEncodeBenchmark {

    @Param({"128", "1024", "16384"})
    public int bytes;

    private OutboundFrame frame;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private int opaque;

    @Setup
    public void setUp() {
        Message message = OursMessages.message("BenchTopic", MessageSpec.body(bytes));
        String properties = MessageProperties.encode(message, MessageIdGenerator.shared().next(), true);
        frame = OutboundFrame.request(310, OursMessages.sendHeader("bench_group", "BenchTopic", properties,
                System.currentTimeMillis()), message.body());
    }

    @Benchmark
    public int encode() {
        ByteBuf buf = FrameEncoder.encode(frame, ++opaque, alloc);
        int length = buf.readableBytes();
        buf.release();
        return length;
    }
}
