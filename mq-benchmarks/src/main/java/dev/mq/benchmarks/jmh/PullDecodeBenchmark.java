package dev.mq.benchmarks.jmh;

import dev.mq.benchmarks.harness.MessageSpec;
import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.internal.protocol.MessageIdGenerator;
import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.protocol.StoredMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The consumer's decoding of one pull answer without a broker: 32 stored records of the suite's
 * message (tag, key, one user property, {@code UNIQ_KEY}, {@code WAIT}, the broker's {@code CLUSTER},
 * a 1 KiB body), in the v1 or v2 stored format, from the pooled direct buffer the connection reads
 * into, to the {@link ReceivedMessage}s a handler is given. One operation is one pull answer: divide
 * by 32 for a message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PullDecodeBenchmark {

    static final int MESSAGES = 32;

    @Param({"v1", "v2"})
    public String format;

    private final MessageQueue queue = new MessageQueue("BenchTopic", "broker-a", 3);
    private ByteBuf answer;

    @Setup(Level.Trial)
    public void setUp() {
        int magic = format.equals("v1") ? StoredMessage.MAGIC_V1 : StoredMessage.MAGIC_V2;
        byte[] body = MessageSpec.body(1024);
        MessageIdGenerator ids = MessageIdGenerator.shared();
        answer = PooledByteBufAllocator.DEFAULT.directBuffer();
        for (int i = 0; i < MESSAGES; i++) {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put(MessageSpec.PROPERTY_NAME, MessageSpec.PROPERTY_VALUE);
            properties.put(MessageProperties.TAGS, MessageSpec.TAGS);
            properties.put(MessageProperties.KEYS, MessageSpec.KEYS);
            properties.put(MessageProperties.UNIQ_KEY, ids.next());
            properties.put(MessageProperties.WAIT, "true");
            properties.put(MessageProperties.CLUSTER, "DefaultCluster");
            writeRecord(answer, magic, "BenchTopic", 1_000 + i, 4_096L * 1_300 + 1_300L * i, body, properties);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        answer.release();
    }

    /**
     * A pull answer as the consumer reads it: every record into the message a handler gets, straight
     * from the connection's buffer (the transport hands a pull's callback the buffer it received).
     */
    @Benchmark
    public List<ReceivedMessage> decode() {
        List<StoredMessage> records = StoredMessage.decodeAll(answer);
        List<ReceivedMessage> messages = new ArrayList<>(records.size());
        for (StoredMessage record : records) {
            if (record.property(MessageProperties.TAGS) == null) { // the client-side tag check reads it
                continue;
            }
            messages.add(record.toReceivedMessage(queue.topic(), queue, 0));
        }
        return messages;
    }

    /** One record in the broker's stored layout. */
    static void writeRecord(ByteBuf out, int magic, String topic, long queueOffset, long physicalOffset,
                            byte[] body, Map<String, String> properties) {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        byte[] propertyBytes = MessageProperties.encode(properties).getBytes(StandardCharsets.UTF_8);
        int size = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + 4 + 4 + 8 + 4 + 4 + 4 + 8 + 4 + body.length
                + (magic == StoredMessage.MAGIC_V1 ? 1 : 2) + topicBytes.length + 2 + propertyBytes.length;
        out.writeInt(size).writeInt(magic).writeInt(0).writeInt(3).writeInt(0).writeLong(queueOffset)
                .writeLong(physicalOffset).writeInt(0).writeLong(1_700_000_000_000L + queueOffset)
                .writeBytes(new byte[] {10, 0, 0, 7}).writeInt(50_123)
                .writeLong(1_700_000_000_002L + queueOffset).writeBytes(new byte[] {10, 0, 0, 2}).writeInt(10_911)
                .writeInt(0).writeLong(0).writeInt(body.length).writeBytes(body);
        if (magic == StoredMessage.MAGIC_V1) {
            out.writeByte(topicBytes.length);
        } else {
            out.writeShort(topicBytes.length);
        }
        out.writeBytes(topicBytes).writeShort(propertyBytes.length).writeBytes(propertyBytes);
    }
}
