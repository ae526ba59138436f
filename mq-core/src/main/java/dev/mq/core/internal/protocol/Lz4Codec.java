package dev.mq.core.internal.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * LZ4 frames (the LZ4 frame format, which RocketMQ 5 consumers read) through lz4-java. A class of its
 * own so that nothing touches the optional library until an LZ4 body is written or read.
 */
final class Lz4Codec {

    private Lz4Codec() {
    }

    /** The LZ4 frame magic number (written little-endian). */
    private static final int MAGIC = 0x184D2204;
    /** FLG: version 01, independent blocks; no block or content checksum, no content size, no dictionary. */
    private static final int FLG = 0x40 | 0x20;
    /** Frame header (magic, FLG, BD, HC) and end mark. */
    private static final int FRAME_OVERHEAD = 4 + 3 + 4;
    /** A block's length word; its high bit marks a block stored as is. */
    private static final int STORED = 0x80000000;

    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

    /**
     * An LZ4 frame of independent blocks of the smallest standard block size that holds the body (the
     * layout lz4-java's frame writer gives it with the same block size), written around the block
     * compressor into a pooled array and returned at its exact length: the frame writer's own block
     * and compressed buffers (at least 64 KiB each) are not allocated per body.
     */
    static byte[] compress(byte[] body) {
        int blockSize = blockSize(body.length);
        int blocks = Math.max(1, (body.length + blockSize - 1) / blockSize);
        long bound = FRAME_OVERHEAD + (long) blocks * 4 + COMPRESSOR.maxCompressedLength(Math.min(body.length, blockSize))
                * (long) blocks;
        return Compression.intoScratch((int) Math.min(bound, Integer.MAX_VALUE - 8), out -> {
            int n = writeIntLE(out, 0, MAGIC);
            int descriptor = n;
            out[n++] = (byte) FLG;
            out[n++] = (byte) (blockSizeId(blockSize) << 4);
            out[n] = (byte) ((XXHASH.hash(out, descriptor, 2, 0) >> 8) & 0xFF);
            n++;
            for (int offset = 0; offset < body.length; offset += blockSize) {
                int length = Math.min(blockSize, body.length - offset);
                int compressed = COMPRESSOR.compress(body, offset, length, out, n + 4, out.length - n - 4);
                if (compressed >= length) { // does not shrink: the block goes as it is
                    System.arraycopy(body, offset, out, n + 4, length);
                    writeIntLE(out, n, length | STORED);
                    n += 4 + length;
                } else {
                    writeIntLE(out, n, compressed);
                    n += 4 + compressed;
                }
            }
            return writeIntLE(out, n, 0); // end mark
        });
    }

    static byte[] decompress(byte[] data) {
        try (LZ4FrameInputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a complete LZ4 frame: " + e.getMessage(), e);
        }
    }

    /** The smallest standard block size (64 KiB, 256 KiB, 1 MiB, 4 MiB) that holds {@code length} bytes. */
    private static int blockSize(int length) {
        for (int size = 64 * 1024; size < 4 * 1024 * 1024; size <<= 2) {
            if (length <= size) {
                return size;
            }
        }
        return 4 * 1024 * 1024;
    }

    /** The frame descriptor's code for a block size: 4 for 64 KiB up to 7 for 4 MiB. */
    private static int blockSizeId(int blockSize) {
        return 4 + (Integer.numberOfTrailingZeros(blockSize) - 16) / 2;
    }

    /** Writes {@code value} little-endian at {@code offset}; returns the offset after it. */
    private static int writeIntLE(byte[] out, int offset, int value) {
        out[offset] = (byte) value;
        out[offset + 1] = (byte) (value >>> 8);
        out[offset + 2] = (byte) (value >>> 16);
        out[offset + 3] = (byte) (value >>> 24);
        return offset + 4;
    }
}
