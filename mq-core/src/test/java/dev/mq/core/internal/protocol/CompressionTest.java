package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

class CompressionTest {

    private static final byte[] TEXT = "RocketMQ message body, repeated. ".repeat(500).getBytes(StandardCharsets.UTF_8);

    @Test
    void writesAZlibStreamThatTheJdkInflates() throws Exception {
        byte[] compressed = Compression.zlib(TEXT, Compression.DEFAULT_LEVEL);

        assertThat(compressed.length).isLessThan(TEXT.length / 10);
        // RFC 1950 header: CM=8 (deflate), and the 16-bit header is a multiple of 31.
        assertThat(compressed[0] & 0x0F).isEqualTo(8);
        assertThat(((compressed[0] & 0xFF) << 8 | (compressed[1] & 0xFF)) % 31).isZero();
        assertThat(inflateWithJdkStream(compressed)).isEqualTo(TEXT);
    }

    @Test
    void inflateReversesZlibAtEveryLevel() {
        for (int level = -1; level <= 9; level++) {
            assertThat(Compression.inflate(Compression.zlib(TEXT, level))).as("level %d", level).isEqualTo(TEXT);
        }
    }

    @Test
    void incompressibleBodiesStillRoundTrip() {
        byte[] noise = new byte[100_000];
        new Random(1).nextBytes(noise);
        byte[] compressed = Compression.zlib(noise, 9);
        assertThat(compressed.length).isGreaterThan(noise.length);
        assertThat(Compression.inflate(compressed)).isEqualTo(noise);
        assertThat(Compression.inflate(Compression.zlib(new byte[0], 5))).isEmpty();
    }

    @Test
    void inflateRejectsGarbageAndTruncatedStreams() {
        assertThatThrownBy(() -> Compression.inflate("not zlib".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a zlib stream");
        byte[] compressed = Compression.zlib(TEXT, 5);
        byte[] truncated = Arrays.copyOf(compressed, compressed.length / 2);
        assertThatThrownBy(() -> Compression.inflate(truncated))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }

    @Test
    void rejectsLevelsZlibDoesNotHave() {
        assertThatThrownBy(() -> Compression.zlib(TEXT, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Compression.zlib(TEXT, -2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deflatersAreReusedAndTheLevelOfAPooledOneIsReset() {
        Compression.DEFLATERS.clear();
        byte[] atNine = Compression.zlib(TEXT, 9);
        assertThat(Compression.DEFLATERS.idle()).isEqualTo(1);
        byte[] atZero = Compression.zlib(TEXT, 0);
        assertThat(Compression.DEFLATERS.idle()).isEqualTo(1);
        // Level 0 stores; a Deflater left at level 9 would compress.
        assertThat(atZero.length).isGreaterThan(TEXT.length);
        assertThat(Compression.zlib(TEXT, 9)).isEqualTo(atNine);
    }

    @Test
    void aFullPoolEndsWhatItCannotKeep() {
        DeflaterPool pool = new DeflaterPool(1);
        java.util.zip.Deflater a = pool.borrow(5);
        java.util.zip.Deflater b = pool.borrow(5);
        pool.release(a);
        pool.release(b);
        assertThat(pool.idle()).isEqualTo(1);
        // An ended Deflater refuses work.
        assertThatThrownBy(() -> b.deflate(new byte[16])).isInstanceOf(NullPointerException.class);
        assertThat(pool.borrow(5)).isSameAs(a);
        pool.clear();
    }

    private static byte[] inflateWithJdkStream(byte[] data) throws Exception {
        try (InflaterInputStream in = new InflaterInputStream(new java.io.ByteArrayInputStream(data))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
