package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.testing.ForAll;
import dev.mq.core.testing.Gen;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the frame codec over random input ({@link ForAll}, fixed seeds): whatever we encode
 * decodes to the same command, however the bytes are split on the way, and binary headers as RocketMQ
 * writes them decode to what they carry.
 */
class FrameCodecPropertiesTest {

    @Test
    void everyEncodedFrameDecodesToTheSameCommand() {
        ForAll.check("JSON frame round trip", 500, Frames::randomSample, sample -> {
            byte[] bytes = Frames.encode(sample);
            var buf = Unpooled.wrappedBuffer(bytes);
            assertThat(buf.readInt()).isEqualTo(bytes.length - 4);
            assertDecodesTo(FrameDecoder.decodeFrame(buf), sample);
        });
    }

    @Test
    void framesSurviveAnySplittingOfTheStream() {
        ForAll.check("frames split at random points", 200, r -> {
            List<Frames.Sample> samples = new ArrayList<>();
            for (int i = 1 + r.nextInt(6); i > 0; i--) {
                samples.add(Frames.randomSample(r));
            }
            return new Object[] {samples, r.nextLong()};
        }, input -> {
            @SuppressWarnings("unchecked")
            List<Frames.Sample> samples = (List<Frames.Sample>) input[0];
            Random r = new Random((long) input[1]);
            java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
            samples.forEach(s -> stream.writeBytes(Frames.encode(s)));
            byte[] all = stream.toByteArray();
            EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
            for (int at = 0; at < all.length; ) {
                int n = Math.min(all.length - at, 1 + r.nextInt(r.nextBoolean() ? 8 : 700));
                channel.writeInbound(Unpooled.wrappedBuffer(all, at, n));
                at += n;
            }
            List<RemotingCommand> decoded = new ArrayList<>();
            for (Object o; (o = channel.readInbound()) != null; ) {
                decoded.add((RemotingCommand) o);
            }
            assertThat(channel.finish()).isFalse();
            assertThat(decoded).hasSameSizeAs(samples);
            for (int i = 0; i < samples.size(); i++) {
                assertDecodesTo(decoded.get(i), samples.get(i));
            }
        });
    }

    @Test
    void binaryHeadersDecodeToWhatTheyCarry() {
        ForAll.check("binary header decode", 500, r -> {
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = r.nextInt(10); i > 0; i--) {
                fields.put(Gen.propertyText(r, 12), Gen.propertyText(r, 40)); // empty strings decode as null
            }
            String remark = r.nextBoolean() ? null : Gen.propertyText(r, 80);
            return new Object[] {(short) Gen.anInt(r), r.nextInt(14), (short) r.nextInt(), Gen.anInt(r),
                r.nextInt(4), remark, fields, r.nextBoolean() ? null : Gen.bytes(r, 512)};
        }, v -> {
            @SuppressWarnings("unchecked")
            Map<String, String> fields = (Map<String, String>) v[6];
            byte[] body = (byte[]) v[7];
            byte[] frame = Frames.binaryFrame((short) v[0], (int) v[1], (short) v[2], (int) v[3], (int) v[4],
                    (String) v[5], fields, body);
            var buf = Unpooled.wrappedBuffer(frame);
            buf.readInt();
            RemotingCommand c = FrameDecoder.decodeFrame(buf);
            assertThat(c.code()).isEqualTo((short) v[0]);
            assertThat(c.language()).isEqualTo(LanguageCodes.name((int) v[1]));
            assertThat(c.version()).isEqualTo((short) v[2]);
            assertThat(c.opaque()).isEqualTo((int) v[3]);
            assertThat(c.flag()).isEqualTo((int) v[4]);
            assertThat(c.remark()).isEqualTo(v[5]);
            assertThat(c.extFields()).isEqualTo(fields);
            assertThat(c.body()).isEqualTo(body == null || body.length == 0 ? null : body);
        });
    }

    @Test
    void aLoneSurrogateTravelsAsAQuestionMarkAndNeverBreaksTheFrame() {
        // A lone surrogate has no UTF-8 form; the encoder writes '?', as String.getBytes does.
        OutboundFrame frame = OutboundFrame.request(1, CommandHeader.of(Map.of("k", "a\uD800b\uDC00c")), null);
        var buf = FrameEncoder.encode(frame, 1, io.netty.buffer.ByteBufAllocator.DEFAULT);
        try {
            buf.readInt();
            assertThat(FrameDecoder.decodeFrame(buf).field("k")).isEqualTo("a?b?c");
        } finally {
            buf.release();
        }
    }

    private static void assertDecodesTo(RemotingCommand decoded, Frames.Sample sample) {
        OutboundFrame frame = sample.frame();
        assertThat(decoded.code()).isEqualTo(frame.code());
        assertThat(decoded.flag()).isEqualTo(frame.flag());
        assertThat(decoded.opaque()).isEqualTo(sample.opaque());
        assertThat(decoded.language()).isEqualTo("JAVA");
        assertThat(decoded.version()).isEqualTo(FrameEncoder.PROTOCOL_VERSION);
        assertThat(decoded.remark()).isEqualTo(frame.remark());
        assertThat(decoded.extFields()).isEqualTo(Frames.nonNull(sample.fields()));
        assertThat(decoded.body()).isEqualTo(frame.bodyLength() == 0 ? null : frame.body());
    }
}
