package dev.mq.core.internal.protocol;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * zlib body compression (RFC 1950: header, deflate data, Adler-32), the one format every RocketMQ
 * consumer version can read. Send such a body with {@link SysFlag#compressedZlib()}.
 */
public final class Compression {

    /** The official client's level. */
    public static final int DEFAULT_LEVEL = 5;
    /** The official client compresses single-message bodies of at least this many bytes. */
    public static final int DEFAULT_THRESHOLD = 4096;

    static final DeflaterPool DEFLATERS =
            new DeflaterPool(Math.min(64, 2 * Runtime.getRuntime().availableProcessors()));

    private Compression() {
    }

    /**
     * Compresses {@code body} into a zlib stream.
     *
     * @param level 0..9, or -1 for zlib's default
     */
    public static byte[] zlib(byte[] body, int level) {
        if (level < Deflater.DEFAULT_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("zlib level must be -1..9, not " + level);
        }
        Deflater deflater = DEFLATERS.borrow(level);
        try {
            deflater.setInput(body);
            deflater.finish();
            byte[] out = new byte[worstCase(body.length)];
            int n = 0;
            while (!deflater.finished()) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                n += deflater.deflate(out, n, out.length - n);
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        } finally {
            DEFLATERS.release(deflater);
        }
    }

    /**
     * Decompresses a zlib stream.
     *
     * @throws IllegalArgumentException if {@code data} is not a complete zlib stream
     */
    public static byte[] inflate(byte[] data) {
        // Inflating is rare for a producer (reply bodies), so a pool would not pay for itself.
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            byte[] out = new byte[Math.max(64, data.length * 4)];
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                int got = inflater.inflate(out, n, out.length - n);
                n += got;
                if (got == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("zlib stream is truncated after " + data.length + " bytes");
                }
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not a zlib stream: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    /** zlib's deflateBound for default settings, plus the stream header and trailer. */
    private static int worstCase(int length) {
        long bound = (long) length + (length >> 12) + (length >> 14) + (length >> 25) + 13 + 6;
        return (int) Math.min(bound, Integer.MAX_VALUE - 8);
    }
}
