package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.testing.ForAll;
import dev.mq.core.testing.Gen;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoder against hostile bytes ({@link ForAll}, fixed seeds): random bytes, mutated valid frames
 * and random JSON headers. Whatever arrives, the decoder either yields commands or raises
 * {@link CorruptedFrameException} or {@link TooLongFrameException} — never another exception, which
 * Netty would wrap in a bare {@code DecoderException} — and it never allocates for a frame it has not
 * received, so a length field claiming 2 GiB costs nothing.
 */
class FrameDecoderFuzzTest {

    @Test
    void arbitraryBytesOnlyEverRaiseCorruptOrTooLongFrame() {
        ForAll.check("random bytes", 3_000, r -> {
            byte[] b = Gen.bytes(r, 600);
            if (b.length >= 4 && r.nextBoolean()) { // a plausible small length, so the header gets parsed
                int len = b.length - 4;
                b[0] = 0;
                b[1] = 0;
                b[2] = (byte) (len >>> 8);
                b[3] = (byte) len;
            }
            return b;
        }, FrameDecoderFuzzTest::feedInChunks);
    }

    @Test
    void mutatedValidFramesOnlyEverRaiseCorruptOrTooLongFrame() {
        ForAll.check("mutated JSON and binary frames", 3_000, r -> {
            byte[] valid = r.nextBoolean() ? Frames.encode(Frames.randomSample(r))
                    : Frames.binaryFrame(r.nextInt(), r.nextInt(20), r.nextInt(), r.nextInt(), r.nextInt(4),
                            r.nextBoolean() ? null : Gen.text(r, 20), Gen.textMap(r, 4, 8), Gen.bytes(r, 64));
            return Frames.mutate(r, valid);
        }, FrameDecoderFuzzTest::feedInChunks);
    }

    @Test
    void randomJsonHeadersDecodeOrRaiseCorruptFrame() {
        ForAll.check("random JSON header", 3_000, r -> {
            String json = r.nextInt(4) == 0 ? Frames.randomJson(r, 4) : "{" + members(r) + "}";
            if (r.nextInt(5) == 0 && !json.isEmpty()) { // and some broken JSON
                json = json.substring(0, r.nextInt(json.length()));
            }
            return Frames.jsonFrame(json, r.nextBoolean() ? null : Gen.bytes(r, 32));
        }, FrameDecoderFuzzTest::feedInChunks);
    }

    @Test
    void topLevelHeaderFieldsAreNeverTakenFromNestedValues() {
        // A nested object that holds "code"/"opaque" keys must not be read as the header's own fields.
        ForAll.check("nested header keys", 1_000, r -> {
            int code = r.nextInt(1000);
            int opaque = r.nextInt();
            StringBuilder json = new StringBuilder("{");
            for (int i = r.nextInt(3); i > 0; i--) {
                json.append(Frames.quote(Gen.text(r, 6) + "-x")).append(':').append(Frames.randomJson(r, 3)).append(',');
            }
            json.append("\"extFields\":{\"k\":").append(Frames.randomJson(r, 3)).append("},");
            json.append("\"code\":").append(code).append(",\"flag\":1,\"opaque\":").append(opaque).append('}');
            return new Object[] {Frames.jsonFrame(json.toString(), null), code, opaque};
        }, v -> {
            ByteBuf buf = Unpooled.wrappedBuffer((byte[]) v[0]);
            buf.readInt();
            RemotingCommand c = FrameDecoder.decodeFrame(buf);
            assertThat(c.code()).isEqualTo(v[1]);
            assertThat(c.opaque()).isEqualTo(v[2]);
            assertThat(c.flag()).isEqualTo(1);
        });
    }

    @Test
    void nonTextLanguageOrRemarkIsACorruptFrameNotASpoofedHeader() {
        for (String field : new String[] {"remark", "language"}) {
            byte[] frame = Frames.jsonFrame("{\"" + field + "\":{\"code\":5,\"opaque\":9},\"code\":0,\"flag\":1,"
                    + "\"opaque\":1}", null);
            ByteBuf buf = Unpooled.wrappedBuffer(frame);
            buf.readInt();
            assertThatThrownBy(() -> FrameDecoder.decodeFrame(buf)).as(field)
                    .isExactlyInstanceOf(CorruptedFrameException.class).hasMessageContaining(field);
        }
    }

    @Test
    void decodeFrameOnArbitraryBytesRaisesOnlyCorruptFrame() {
        ForAll.check("decodeFrame on random bytes", 3_000, r -> Gen.bytes(r, 300), bytes -> {
            try {
                FrameDecoder.decodeFrame(Unpooled.wrappedBuffer(bytes));
            } catch (CorruptedFrameException expected) {
                // fine: the connection would be closed
            }
        });
    }

    @Test
    void aFrameClaiming2GiBIsRejectedAtItsLengthFieldWithoutAllocating() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        // Warm the pipeline up with one ordinary frame, so that class loading is not measured below.
        channel.writeInbound(Unpooled.wrappedBuffer(Frames.encode(Frames.randomSample(new Random(1)))));
        assertThat((Object) channel.readInbound()).isInstanceOf(RemotingCommand.class);
        long before = threads.getThreadAllocatedBytes(self);
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x7F, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0})))
                .isExactlyInstanceOf(TooLongFrameException.class).hasMessageContaining("exceeds 16777216");
        long allocated = threads.getThreadAllocatedBytes(self) - before;
        assertThat(allocated).as("bytes allocated while rejecting a 2 GiB frame").isLessThan(64 * 1024);
        channel.finishAndReleaseAll();

        // The measurement is real: receiving a 1 MiB frame does allocate at least its size.
        EmbeddedChannel control = new EmbeddedChannel(new FrameDecoder());
        byte[] big = Frames.encode(new Frames.Sample(OutboundFrame.request(1, CommandHeader.EMPTY,
                new byte[1 << 20]), 1, java.util.Map.of()));
        long start = threads.getThreadAllocatedBytes(self);
        control.writeInbound(Unpooled.wrappedBuffer(big));
        assertThat(threads.getThreadAllocatedBytes(self) - start).isGreaterThan(1 << 20);
        assertThat((Object) control.readInbound()).isInstanceOf(RemotingCommand.class);
        control.finishAndReleaseAll();
    }

    @Test
    void theCapIsSixteenMiBForTheWholeFrameLengthFieldIncluded() {
        // As in RocketMQ's own servers: 16 MiB counts the 4-byte length field, so it may say 16 MiB - 4.
        EmbeddedChannel atCap = new EmbeddedChannel(new FrameDecoder());
        assertThat(atCap.writeInbound(Unpooled.buffer().writeInt(FrameDecoder.MAX_FRAME_LENGTH - 4).writeInt(10)))
                .as("a frame at the cap waits for its bytes").isFalse();
        atCap.finishAndReleaseAll();
        EmbeddedChannel overCap = new EmbeddedChannel(new FrameDecoder());
        assertThatThrownBy(() -> overCap.writeInbound(Unpooled.buffer().writeInt(FrameDecoder.MAX_FRAME_LENGTH - 3)))
                .isExactlyInstanceOf(TooLongFrameException.class);
        overCap.finishAndReleaseAll();
        // A "negative" length is read as unsigned, i.e. as 2 GiB or more, and refused the same way.
        EmbeddedChannel negative = new EmbeddedChannel(new FrameDecoder());
        assertThatThrownBy(() -> negative.writeInbound(Unpooled.buffer().writeInt(-1)))
                .isExactlyInstanceOf(TooLongFrameException.class);
        negative.finishAndReleaseAll();
    }

    private static String members(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            sb.append(sb.isEmpty() ? "" : ",").append(Frames.quote(Frames.headerKey(r))).append(':')
                    .append(Frames.randomJson(r, 3));
        }
        return sb.toString();
    }

    /** Feeds {@code bytes} in random chunks; only the two frame exceptions may come out. */
    private static void feedInChunks(byte[] bytes) {
        Random r = new Random(bytes.length * 31L + (bytes.length > 0 ? bytes[0] : 7));
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        try {
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + r.nextInt(64));
                channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, n));
                at += n;
                for (Object o; (o = channel.readInbound()) != null; ) {
                    assertThat(o).isInstanceOf(RemotingCommand.class);
                }
            }
        } catch (CorruptedFrameException | TooLongFrameException expected) {
            assertThat(expected.getClass()).isIn(CorruptedFrameException.class, TooLongFrameException.class);
        } finally {
            try {
                channel.finishAndReleaseAll();
            } catch (CorruptedFrameException | TooLongFrameException ignored) {
                // reported by finish() when raised during close
            }
        }
    }
}
