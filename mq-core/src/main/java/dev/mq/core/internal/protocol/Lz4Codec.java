package dev.mq.core.internal.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * LZ4 frames (the LZ4 frame format, which RocketMQ 5 consumers read) through lz4-java. A class of its
 * own so that nothing touches the optional library until an LZ4 body is written or read.
 */
final class Lz4Codec {

    private Lz4Codec() {
    }

    static byte[] compress(byte[] body) {
        // The writer allocates a block-sized buffer: the smallest block that holds the body, not 4 MiB.
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 2));
        try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out, blockSize(body.length),
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE)) {
            lz4.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("LZ4 into memory failed", e);
        }
        return out.toByteArray();
    }

    static byte[] decompress(byte[] data) {
        try (LZ4FrameInputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a complete LZ4 frame: " + e.getMessage(), e);
        }
    }

    private static LZ4FrameOutputStream.BLOCKSIZE blockSize(int length) {
        if (length <= 64 * 1024) {
            return LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB;
        }
        if (length <= 256 * 1024) {
            return LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB;
        }
        return length <= 1024 * 1024 ? LZ4FrameOutputStream.BLOCKSIZE.SIZE_1MB : LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB;
    }
}
