package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.client.ClientResources;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.protocol.Compression;
import dev.mq.core.internal.protocol.SysFlag;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.RemotingCommand;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Bodies at, above and below the compression threshold as they reach a broker — in every send mode,
 * in every format, compressed on the caller's thread or (unordered asynchronous sends) on the
 * callback executor: the exact bytes each format's own library writes, decompressing to the
 * original, and a body that does not shrink sent as it is.
 */
class CompressedSendTest extends FakeClusterTestBase {

    private static final int THRESHOLD = Compression.DEFAULT_THRESHOLD;

    /** JSON-like text: compresses to about a third, as the benchmark's bodies do. */
    private static byte[] text(int length, int seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder(length + 64);
        while (sb.length() < length) {
            sb.append("{\"order\":").append(random.nextInt(100_000)).append(",\"sku\":\"SKU-")
                    .append(random.nextInt(500)).append("\",\"qty\":").append(random.nextInt(9)).append("},");
        }
        return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), length);
    }

    private static byte[] noise(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** What each format's own library writes for {@code body} at the default level. */
    private static byte[] reference(CompressionType type, byte[] body) throws Exception {
        switch (type) {
            case ZLIB -> {
                Deflater deflater = new Deflater(Compression.DEFAULT_LEVEL);
                deflater.setInput(body);
                deflater.finish();
                byte[] out = new byte[body.length * 2 + 64];
                int n = deflater.deflate(out);
                deflater.end();
                return Arrays.copyOf(out, n);
            }
            case ZSTD -> {
                return Zstd.compress(body, Compression.DEFAULT_LEVEL);
            }
            default -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out, body.length <= 64 * 1024
                        ? LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB : LZ4FrameOutputStream.BLOCKSIZE.SIZE_1MB,
                        LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE)) {
                    lz4.write(body);
                }
                return out.toByteArray();
            }
        }
    }

    @Test
    void everyModeAndFormatPutsTheLibrarysBytesOnTheWireAndSendsWhatDoesNotShrinkAsItIs() throws Exception {
        for (CompressionType type : CompressionType.values()) {
            FakeBroker broker = broker("broker-" + type);
            FakeServer ns = nameServer(topic -> route(4, broker), 0);
            Producer producer = producer(client(ns.address()), b -> b.group(GROUP + "-" + type).compression(type));
            List<byte[]> bodies = List.of(text(THRESHOLD - 1, 1), text(THRESHOLD, 2), text(16_384, 3),
                    noise(THRESHOLD, 4), noise(16_384, 5), text(300_000, 6));
            int sent = 0;
            for (byte[] body : bodies) {
                Message message = Message.builder("Zipped").body(body).build();
                producer.send(message);
                producer.sendAsync(message).get(10, TimeUnit.SECONDS);
                producer.sendAsync(message, QueueSelectors.queueId(1), null).get(10, TimeUnit.SECONDS);
                producer.sendOneway(message);
                sent += 4;
            }
            int expected = sent;
            waitUntil(() -> broker.sends().size() == expected);

            for (int i = 0; i < expected; i++) {
                RemotingCommand wire = broker.sends().get(i);
                byte[] original = bodies.get(i / 4);
                int sysFlag = Integer.parseInt(wire.field("f"));
                String what = type + ", " + original.length + " bytes, send " + i % 4;
                if (original.length < THRESHOLD || original[0] != '{') { // below the threshold, or noise
                    assertThat(sysFlag & SysFlag.COMPRESSED).as(what).isZero();
                    assertThat(wire.body()).as(what).isEqualTo(original);
                } else {
                    assertThat(sysFlag).as(what).isEqualTo(Compression.Codec.valueOf(type.name()).sysFlag());
                    assertThat(wire.body()).as(what).isEqualTo(reference(type, original));
                    assertThat(Compression.decompress(wire.body(), sysFlag)).as(what).isEqualTo(original);
                }
            }
            assertThat(producer.stats().inFlightBytes()).isZero();
        }
    }

    @Test
    void sendsCompressedElsewhereGiveBackEveryPermitTheyTook() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        // A byte cap five uncompressed 16 KiB bodies fill, sends in rounds of four: a send admitted for
        // its uncompressed size that gave back less than it took would soon leave no room, and the
        // round behind it would wait past its deadline.
        Producer producer = producer(client(ns.address()), b -> b.maxMessageSize(65_536).maxInFlightBytes(90_000)
                .sendTimeout(Duration.ofSeconds(3)));
        List<byte[]> bodies = new ArrayList<>();
        for (int round = 0; round < 60; round++) {
            List<CompletableFuture<SendResult>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = round * 4 + i;
                byte[] body = switch (n % 3) {
                    case 0 -> text(16_384, 100 + n);
                    case 1 -> noise(8_192, 100 + n);
                    default -> text(512, 100 + n);
                };
                bodies.add(body);
                futures.add(producer.sendAsync(Message.builder("Elsewhere").body(body).build()));
            }
            for (CompletableFuture<SendResult> future : futures) {
                assertThat(future.get(10, TimeUnit.SECONDS).isOk()).as("round %d", round).isTrue();
            }
        }

        waitUntil(() -> producer.stats().inFlightRequests() == 0);
        assertThat(producer.stats().inFlightBytes()).isZero();
        // Unordered sends may reach the wire in any order; each arrives once, intact.
        List<String> received = new ArrayList<>();
        for (RemotingCommand wire : broker.sends()) {
            int sysFlag = Integer.parseInt(wire.field("f"));
            byte[] body = (sysFlag & SysFlag.COMPRESSED) != 0 ? Compression.decompress(wire.body(), sysFlag) : wire.body();
            received.add(Arrays.toString(body));
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(bodies.stream().map(Arrays::toString).toList());
    }

    @Test
    void orderlySendsOfMixedSizesToOneQueueArriveInCallOrder() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b);
        List<byte[]> bodies = new ArrayList<>();
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            // Large compressible bodies cost the most to prepare; small and incompressible ones the
            // least: any send that overtook another on its way to the queue would show.
            byte[] body = switch (i % 4) {
                case 0 -> text(64 * 1024, i);
                case 1 -> text(100, i);
                case 2 -> noise(THRESHOLD * 2, i);
                default -> text(THRESHOLD, i);
            };
            bodies.add(body);
            futures.add(producer.sendAsync(Message.builder("Ordered").body(body).build(), QueueSelectors.hash(), "key"));
        }
        for (CompletableFuture<SendResult> future : futures) {
            assertThat(future.get(20, TimeUnit.SECONDS).isOk()).isTrue();
        }

        List<RemotingCommand> sends = broker.sends();
        assertThat(sends).hasSize(bodies.size());
        assertThat(sends.stream().map(w -> w.field("e")).distinct()).hasSize(1); // one queue
        for (int i = 0; i < bodies.size(); i++) {
            int sysFlag = Integer.parseInt(sends.get(i).field("f"));
            byte[] body = (sysFlag & SysFlag.COMPRESSED) != 0
                    ? Compression.decompress(sends.get(i).body(), sysFlag) : sends.get(i).body();
            assertThat(body).as("send %d", i).isEqualTo(bodies.get(i));
        }
    }

    @Test
    void aSendAdmittedBeforeCloseIsCompressedAndSentAndCloseWaitsForIt() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        HeldExecutor executor = new HeldExecutor();
        ClientResources resources = ClientResources.builder().name("held").callbackExecutor(executor).build();
        MQClientInstance client = cluster.add(MQClientInstance.builder().nameServer(ns.address())
                .resources(resources).build());
        try {
            client.start();
            Producer producer = producer(client, b -> b);
            producer.send(message("Held", "route first")); // a synchronous send needs no callback task

            executor.hold = true;
            byte[] body = text(16_384, 7);
            CompletableFuture<SendResult> future = producer.sendAsync(Message.builder("Held").body(body).build());
            assertThat(producer.stats().inFlightRequests()).isEqualTo(1);
            assertThat(executor.held).isNotEmpty(); // admitted; its compression waits for the executor
            CompletableFuture<Void> closed = CompletableFuture.runAsync(producer::close);
            waitUntil(() -> !((dev.mq.core.internal.send.DefaultProducer) producer).isRunning());
            assertThat(closed).isNotDone();

            executor.release();

            assertThat(future.get(10, TimeUnit.SECONDS).isOk()).isTrue();
            closed.get(10, TimeUnit.SECONDS);
            assertThat(producer.stats().inFlightBytes()).isZero();
            RemotingCommand wire = broker.sends().get(1);
            assertThat(Compression.decompress(wire.body(), Integer.parseInt(wire.field("f")))).isEqualTo(body);
        } finally {
            client.close();
            resources.close();
        }
    }

    @Test
    void aSendWhoseCompressionCannotStartGivesItsPermitsBackAndFailsItsFuture() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        HeldExecutor executor = new HeldExecutor();
        ClientResources resources = ClientResources.builder().name("failing").callbackExecutor(executor).build();
        MQClientInstance client = cluster.add(MQClientInstance.builder().nameServer(ns.address())
                .resources(resources).build());
        try {
            client.start();
            Producer producer = producer(client, b -> b);
            producer.send(message("Failing", "route first"));

            executor.fail = true; // not a rejection (those go to an overflow thread): a broken executor
            CompletableFuture<SendResult> future = producer.sendAsync(Message.builder("Failing")
                    .body(text(16_384, 8)).build());
            executor.fail = false;

            assertThat(SendAssertions.failure(future)).hasRootCauseMessage("executor broken");
            assertThat(producer.stats().inFlightRequests()).isZero();
            assertThat(producer.stats().inFlightBytes()).isZero();
            assertThat(producer.sendAsync(Message.builder("Failing").body(text(16_384, 9)).build())
                    .get(10, TimeUnit.SECONDS).isOk()).isTrue();
            assertThat(broker.sends()).hasSize(2);
        } finally {
            client.close();
            resources.close();
        }
    }

    /**
     * Runs tasks on a thread of its own, or keeps them while {@link #hold} is set until {@link #release},
     * or throws while {@link #fail} is set.
     */
    private static final class HeldExecutor implements Executor {

        volatile boolean hold;
        volatile boolean fail;
        final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable task) {
            if (fail) {
                throw new IllegalStateException("executor broken");
            }
            if (hold) {
                held.add(task);
            } else {
                start(task);
            }
        }

        private static void start(Runnable task) {
            Thread thread = new Thread(task, "held-callback");
            thread.setDaemon(true);
            thread.start();
        }

        void release() {
            hold = false;
            for (Runnable task; (task = held.poll()) != null; ) {
                start(task);
            }
        }
    }
}
