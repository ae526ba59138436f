package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import dev.mq.core.testing.HidingClassLoader;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.InflaterInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
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
        Compression.WORKSPACES.clear();
        byte[] atNine = Compression.zlib(TEXT, 9);
        assertThat(Compression.WORKSPACES.idle()).isEqualTo(1);
        byte[] atZero = Compression.zlib(TEXT, 0);
        assertThat(Compression.WORKSPACES.idle()).isEqualTo(1);
        // Level 0 stores; a Deflater left at level 9 would compress.
        assertThat(atZero.length).isGreaterThan(TEXT.length);
        assertThat(Compression.zlib(TEXT, 9)).isEqualTo(atNine);
    }

    @Test
    void aFullPoolEndsWhatItCannotKeep() {
        WorkspacePool pool = new WorkspacePool(1);
        WorkspacePool.Workspace a = pool.borrow();
        WorkspacePool.Workspace b = pool.borrow();
        java.util.zip.Deflater deflaterOfB = b.deflater(5);
        pool.release(a);
        pool.release(b);
        assertThat(pool.idle()).isEqualTo(1);
        // An ended Deflater refuses work.
        assertThatThrownBy(() -> deflaterOfB.deflate(new byte[16])).isInstanceOf(NullPointerException.class);
        assertThat(pool.borrow()).isSameAs(a);
        pool.clear();
    }

    /** Bodies around the sizes the pooled output array is kept for, compressible and not. */
    private static List<byte[]> bodies() {
        byte[] noise = new byte[20_000];
        new Random(3).nextBytes(noise);
        byte[] json = "{\"orderId\":81234,\"sku\":\"SKU-0042\",\"qty\":3,\"price\":19.99}".repeat(8000)
                .getBytes(StandardCharsets.UTF_8); // ~480 KB: above what a workspace keeps
        return List.of(new byte[0], new byte[] {42}, Arrays.copyOf(TEXT, 4095), Arrays.copyOf(TEXT, 4096),
                Arrays.copyOf(TEXT, 16_384), noise, Arrays.copyOf(json, 64 * 1024), Arrays.copyOf(json, 64 * 1024 + 1),
                json);
    }

    @Test
    void zlibWritesExactlyWhatAFreshDeflaterWritesAtEveryLevel() {
        for (byte[] body : bodies()) {
            for (int level : new int[] {-1, 0, 1, 5, 9}) {
                java.util.zip.Deflater reference = new java.util.zip.Deflater(level);
                reference.setInput(body);
                reference.finish();
                byte[] out = new byte[body.length * 2 + 64];
                int n = reference.deflate(out);
                assertThat(reference.finished()).isTrue();
                reference.end();

                byte[] ours = Compression.zlib(body, level);

                assertThat(ours).as("%d bytes at level %d", body.length, level).isEqualTo(Arrays.copyOf(out, n));
                assertThat(Compression.inflate(ours)).isEqualTo(body);
            }
        }
    }

    @Test
    void zstdWritesTheLibrarysOneShotFrameWithItsContentSize() {
        for (byte[] body : bodies()) {
            for (int level : new int[] {1, 5, 19}) {
                byte[] ours = Compression.Codec.ZSTD.compress(body, level);

                assertThat(ours).as("%d bytes at level %d", body.length, level)
                        .isEqualTo(com.github.luben.zstd.Zstd.compress(body, level));
                assertThat(com.github.luben.zstd.Zstd.getFrameContentSize(ours)).isEqualTo(body.length);
                assertThat(Compression.decompress(ours, Compression.Codec.ZSTD.sysFlag())).isEqualTo(body);
            }
        }
    }

    @Test
    void lz4WritesTheFrameLz4JavasFrameWriterWritesWithTheSameBlockSize() throws Exception {
        List<byte[]> bodies = new java.util.ArrayList<>(bodies());
        byte[] large = new byte[4 * 1024 * 1024 + 100_000]; // two 4 MiB blocks; the first compresses, the
        new Random(4).nextBytes(large);                      // second (noise) is stored as it is
        Arrays.fill(large, 0, 4 * 1024 * 1024, (byte) 'a');
        bodies.add(large);
        for (byte[] body : bodies) {
            LZ4FrameOutputStream.BLOCKSIZE blockSize = body.length <= 64 * 1024 ? LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB
                    : body.length <= 256 * 1024 ? LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB
                    : body.length <= 1024 * 1024 ? LZ4FrameOutputStream.BLOCKSIZE.SIZE_1MB
                    : LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB;
            ByteArrayOutputStream reference = new ByteArrayOutputStream();
            try (LZ4FrameOutputStream out = new LZ4FrameOutputStream(reference, blockSize,
                    LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE)) {
                out.write(body);
            }

            byte[] ours = Compression.Codec.LZ4.compress(body, 5);

            assertThat(ours).as("%d bytes", body.length).isEqualTo(reference.toByteArray());
            assertThat(Compression.decompress(ours, Compression.Codec.LZ4.sysFlag())).isEqualTo(body);
        }
    }

    @Test
    void aWorkspaceKeepsItsOutputArrayUpToTheLimitAndDropsLargerOnes() {
        WorkspacePool pool = new WorkspacePool(1);
        WorkspacePool.Workspace w = pool.borrow();
        byte[] small = w.output(20_000);
        pool.release(w);
        assertThat(pool.borrow()).isSameAs(w);
        assertThat(w.output(10_000)).isSameAs(small);
        w.output(WorkspacePool.MAX_KEPT_BYTES + 1);
        pool.release(w);
        assertThat(pool.borrow().keptOutput()).isEmpty();
        pool.clear();
    }

    @Test
    void aFailedCompressionGivesItsWorkspaceBackResetForTheNextBody() {
        Compression.WORKSPACES.clear();
        assertThatThrownBy(() -> Compression.intoScratch(100, out -> {
            out[0] = 1;
            throw new IllegalStateException("codec failed");
        })).hasMessage("codec failed");
        assertThat(Compression.WORKSPACES.idle()).isEqualTo(1);
        // A zlib body half-fed to a Deflater that then fails must not leak into the next stream.
        WorkspacePool.Workspace w = Compression.WORKSPACES.borrow();
        w.deflater(5).setInput(TEXT);
        Compression.WORKSPACES.release(w);
        assertThat(Compression.inflate(Compression.zlib(TEXT, 5))).isEqualTo(TEXT);
    }

    private static byte[] inflateWithJdkStream(byte[] data) throws Exception {
        try (InflaterInputStream in = new InflaterInputStream(new java.io.ByteArrayInputStream(data))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    @Test
    void everyCodecRoundTripsThroughItsSysFlag() {
        byte[] noise = new byte[20_000];
        new Random(2).nextBytes(noise);
        for (Compression.Codec codec : Compression.Codec.values()) {
            byte[] compressed = codec.compress(TEXT, 5);
            assertThat(compressed.length).as("%s", codec).isLessThan(TEXT.length / 5);
            assertThat(Compression.decompress(compressed, codec.sysFlag())).as("%s", codec).isEqualTo(TEXT);
            assertThat(Compression.decompress(codec.compress(noise, 5), codec.sysFlag())).as("%s", codec).isEqualTo(noise);
            assertThat(Compression.decompress(codec.compress(new byte[0], 5), codec.sysFlag())).as("%s", codec).isEmpty();
        }
    }

    @Test
    void zstdFramesLeaveTheirOwnMagicAndLz4FramesTheirs() {
        // Zstandard frame magic 0xFD2FB528 and LZ4 frame magic 0x184D2204, both little-endian.
        assertThat(Arrays.copyOf(Compression.Codec.ZSTD.compress(TEXT, 3), 4))
                .containsExactly(0x28, 0xB5, 0x2F, 0xFD);
        assertThat(Arrays.copyOf(Compression.Codec.LZ4.compress(TEXT, 3), 4))
                .containsExactly(0x04, 0x22, 0x4D, 0x18);
    }

    @Test
    void decodesStreamedFramesLikeTheOfficialClientWrites() throws Exception {
        // A streaming zstd writer leaves the content size out of the frame; a default LZ4 frame writer
        // declares 4 MiB blocks. Both are what other producers send.
        byte[] big = "{\"id\":1234567,\"name\":\"a streamed body\"}".repeat(3000).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream zstd = new ByteArrayOutputStream();
        try (ZstdOutputStream out = new ZstdOutputStream(zstd, 5)) {
            out.write(big);
        }
        ByteArrayOutputStream lz4 = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream out = new LZ4FrameOutputStream(lz4)) {
            out.write(big);
        }

        assertThat(Compression.decompress(zstd.toByteArray(), Compression.Codec.ZSTD.sysFlag())).isEqualTo(big);
        assertThat(Compression.decompress(lz4.toByteArray(), Compression.Codec.LZ4.sysFlag())).isEqualTo(big);
    }

    @Test
    void truncatedZstdAndLz4FramesAreRefusedAsSuch() {
        for (Compression.Codec codec : List.of(Compression.Codec.ZSTD, Compression.Codec.LZ4)) {
            byte[] compressed = codec.compress(TEXT, 5);
            byte[] truncated = Arrays.copyOf(compressed, compressed.length / 2);
            assertThatThrownBy(() -> Compression.decompress(truncated, codec.sysFlag())).as("%s", codec)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a complete");
        }
    }

    @Test
    void levelsEachCodecAccepts() {
        assertThat(Compression.Codec.ZLIB.acceptsLevel(9)).isTrue();
        assertThat(Compression.Codec.ZLIB.acceptsLevel(10)).isFalse();
        assertThat(Compression.Codec.ZSTD.acceptsLevel(22)).isTrue();
        assertThat(Compression.Codec.ZSTD.acceptsLevel(23)).isFalse();
        assertThat(Compression.Codec.ZSTD.acceptsLevel(0)).isFalse();
        assertThat(Compression.Codec.LZ4.acceptsLevel(0)).isTrue();
        // Levels change zstd's output (on a body less trivial than a repeated sentence); LZ4 has none.
        StringBuilder json = new StringBuilder();
        Random random = new Random(3);
        for (int i = 0; i < 400; i++) {
            json.append("{\"id\":").append(random.nextInt(1_000_000)).append(",\"sku\":\"S-")
                    .append(random.nextInt(5000)).append("\",\"qty\":").append(random.nextInt(20)).append("},");
        }
        byte[] orders = json.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(Compression.Codec.ZSTD.compress(orders, 19).length)
                .isLessThan(Compression.Codec.ZSTD.compress(orders, 1).length);
        assertThat(Compression.Codec.LZ4.compress(TEXT, 1)).isEqualTo(Compression.Codec.LZ4.compress(TEXT, 9));
    }

    @Test
    void aMissingLibraryIsNamedByItsArtifact() {
        ClassLoader without = new HidingClassLoader("com.github.luben.", "net.jpountz.");

        assertThat(Compression.Codec.ZSTD.missingLibrary(without)).isEqualTo("com.github.luben:zstd-jni");
        assertThat(Compression.Codec.LZ4.missingLibrary(without)).isEqualTo("at.yawk.lz4:lz4-java");
        assertThat(Compression.Codec.ZLIB.missingLibrary(without)).isNull();
        ClassLoader with = CompressionTest.class.getClassLoader();
        assertThat(Compression.Codec.ZSTD.missingLibrary(with)).isNull();
        assertThat(Compression.Codec.LZ4.missingLibrary(with)).isNull();
    }

    @Test
    void readingABodyWhoseLibraryIsMissingSaysWhichArtifactItNeeds() throws Exception {
        Class<?> isolated = new HidingClassLoader("com.github.luben.").loadClass(Compression.class.getName());
        Method decompress = isolated.getMethod("decompress", byte[].class, int.class);
        byte[] zstd = Compression.Codec.ZSTD.compress(TEXT, 3);

        assertThat((byte[]) decompress.invoke(null, Compression.zlib(TEXT, 5), SysFlag.compressedZlib())).isEqualTo(TEXT);
        assertThatThrownBy(() -> decompress.invoke(null, zstd, Compression.Codec.ZSTD.sysFlag()))
                .isInstanceOf(InvocationTargetException.class).cause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ZSTD").hasMessageContaining("com.github.luben:zstd-jni");
    }
}
