package dev.mq.benchmarks.jmh;

import dev.mq.benchmarks.harness.KeyValues;
import dev.mq.benchmarks.harness.MessageSpec;
import dev.mq.benchmarks.ours.OursMessages;
import dev.mq.benchmarks.worker.WorkerMain;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * The whole send path of mq-core: {@code sendAsync} of the benchmark's message (a tag, a key and one
 * property) through a real producer, client instance and transport, to the {@code NullBroker} on
 * loopback, with {@value #WINDOW} sends in flight. One operation is one completed send: it waits for
 * the send {@value #WINDOW} places back, then starts a new one in its place, so ns/op is the time per
 * send at a steady window and B/op (with {@code -prof gc}) everything the client's threads allocated
 * for it — the caller's encode, the event loop's write and response, the callback executor's
 * completion.
 *
 * <p>The null broker runs in its own JVM, as in the benchmark's suite, so that JMH's allocation count
 * (all threads of this JVM) holds the client's alone. The message is built once: the application's
 * {@code Message} is {@link MessageBuildBenchmark}'s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Djava.net.preferIPv4Stack=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SendPathBenchmark {

    static final int WINDOW = 64;
    private static final String TOPIC = "SendPathBench";

    @Param({"128", "1024"})
    public int bytes;

    private ChildJvm broker;
    private Path log;
    private MQClientInstance client;
    private Producer producer;
    private Message message;
    @SuppressWarnings("unchecked")
    private final CompletableFuture<SendResult>[] window = new CompletableFuture[WINDOW];
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        log = Files.createTempFile("sendpath-null-broker", ".log");
        broker = ChildJvm.builder("null-broker", "dev.mq.benchmarks.nullbroker.NullBrokerMain")
                .jvmOptions(List.of("-Xms256m", "-Xmx256m", "-XX:-UsePerfData", "-Djava.net.preferIPv4Stack=true"))
                .classpath(System.getProperty("java.class.path"))
                .replyPrefix(WorkerMain.PREFIX)
                .log(log)
                .start();
        String address = "127.0.0.1:" + KeyValues.parse(broker.awaitReady(Duration.ofSeconds(60))).get("port");
        client = MQClientInstance.builder().nameServer(address).instanceName("sendpath").build();
        client.start();
        producer = client.newProducer(ProducerConfig.builder().group("sendpath_group").build());
        message = OursMessages.message(TOPIC, MessageSpec.body(bytes));
        SendResult first = producer.send(message); // the route, the connection, the first heartbeat
        if (first.status() != SendStatus.SEND_OK) {
            throw new IllegalStateException("first send: " + first.status());
        }
        for (int i = 0; i < WINDOW; i++) {
            window[i] = producer.sendAsync(message);
        }
    }

    @Benchmark
    public SendResult send() {
        int slot = next;
        next = slot + 1 == WINDOW ? 0 : slot + 1;
        SendResult done = window[slot].join();
        window[slot] = producer.sendAsync(message);
        return done;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        for (CompletableFuture<SendResult> f : window) {
            if (f != null) {
                f.join();
            }
        }
        client.close();
        broker.close();
        Files.deleteIfExists(log);
    }
}
