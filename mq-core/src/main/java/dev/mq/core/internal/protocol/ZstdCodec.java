package dev.mq.core.internal.protocol;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Zstandard frames through zstd-jni. A class of its own so that nothing touches the optional library
 * until a zstd body is written or read.
 */
final class ZstdCodec {

    private ZstdCodec() {
    }

    /** A frame with the content size in its header, at its exact length (see {@link Compression#intoScratch}). */
    static byte[] compress(byte[] body, int level) {
        int bound = (int) Math.min(Zstd.compressBound(body.length), Integer.MAX_VALUE - 8);
        return Compression.intoScratch(bound, out -> {
            long n = Zstd.compressByteArray(out, 0, out.length, body, 0, body.length, level);
            if (Zstd.isError(n)) {
                throw new IllegalStateException("zstd could not compress " + body.length + " bytes: "
                        + Zstd.getErrorName(n));
            }
            return (int) n;
        });
    }

    static byte[] decompress(byte[] data) {
        try {
            long size = Zstd.getFrameContentSize(data);
            if (size >= 0 && size <= Integer.MAX_VALUE - 8) {
                return Zstd.decompress(data, (int) size);
            }
            // Streaming writers (the official client's among them) leave the size out of the frame.
            try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(data))) {
                return in.readAllBytes();
            }
        } catch (ZstdException | IOException e) {
            throw new IllegalArgumentException("not a complete zstd frame: " + e.getMessage(), e);
        }
    }
}
