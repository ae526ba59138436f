package dev.mq.core.internal.protocol;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;

/**
 * Message body compression: the one place a body is compressed for sending ({@link Codec#compress})
 * and decompressed after reading ({@link #decompress}). The sysFlag says which format a body is in
 * ({@link SysFlag#COMPRESSION_TYPE_MASK}): zlib (RFC 1950: header, deflate data, Adler-32), the one
 * format every RocketMQ consumer version reads; a Zstandard frame or an LZ4 frame, which RocketMQ 5
 * consumers read too. zlib is the JDK's; zstd and LZ4 need optional libraries, loaded only when used.
 */
public final class Compression {

    /** A body format, with its sysFlag bits and the levels it accepts. */
    public enum Codec {
        /** zlib stream; levels 1..9. */
        ZLIB(SysFlag.COMPRESSION_ZLIB, 1, 9, null, null),
        /** Zstandard frame; levels 1..22. */
        ZSTD(SysFlag.COMPRESSION_ZSTD, 1, 22, "com.github.luben.zstd.Zstd", "com.github.luben:zstd-jni"),
        /** LZ4 frame (the fast compressor; it has no levels, so the level is not used). */
        LZ4(SysFlag.COMPRESSION_LZ4, Integer.MIN_VALUE, Integer.MAX_VALUE, "net.jpountz.lz4.LZ4FrameOutputStream",
                "at.yawk.lz4:lz4-java");

        private final int typeBits;
        private final int minLevel;
        private final int maxLevel;
        private final @Nullable String probeClass;
        private final @Nullable String artifact;

        Codec(int typeBits, int minLevel, int maxLevel, @Nullable String probeClass, @Nullable String artifact) {
            this.typeBits = typeBits;
            this.minLevel = minLevel;
            this.maxLevel = maxLevel;
            this.probeClass = probeClass;
            this.artifact = artifact;
        }

        /** The sysFlag of a body compressed this way: {@link SysFlag#COMPRESSED} and the type bits. */
        public int sysFlag() {
            return SysFlag.COMPRESSED | typeBits;
        }

        /** Whether this codec accepts {@code level} (LZ4 accepts any, and ignores it). */
        public boolean acceptsLevel(int level) {
            return level >= minLevel && level <= maxLevel;
        }

        /** The levels it accepts, for an error message. */
        public String levels() {
            return minLevel == Integer.MIN_VALUE ? "any (not used)" : minLevel + ".." + maxLevel;
        }

        /**
         * The Maven coordinates of the library this codec needs when {@code loader} cannot load it,
         * or null when it can (or it needs none). Nothing is initialised: a native library is loaded
         * only on first use.
         */
        public @Nullable String missingLibrary(ClassLoader loader) {
            if (probeClass == null) {
                return null;
            }
            try {
                Class.forName(probeClass, false, loader);
                return null;
            } catch (ClassNotFoundException | LinkageError e) {
                return artifact;
            }
        }

        /** Compresses {@code body} at {@code level} (see {@link #acceptsLevel}). */
        public byte[] compress(byte[] body, int level) {
            return switch (this) {
                case ZLIB -> zlib(body, level);
                case ZSTD -> ZstdCodec.compress(body, level);
                case LZ4 -> Lz4Codec.compress(body);
            };
        }

        static @Nullable Codec ofType(int typeBits) {
            for (Codec codec : values()) {
                if (codec.typeBits == typeBits) {
                    return codec;
                }
            }
            return null;
        }
    }

    /** The official client's level. */
    public static final int DEFAULT_LEVEL = 5;
    /** The official client compresses single-message bodies of at least this many bytes. */
    public static final int DEFAULT_THRESHOLD = 4096;

    /** Deflaters and output arrays, shared by every producer of the JVM and bounded like the CPUs. */
    static final WorkspacePool WORKSPACES =
            new WorkspacePool(Math.min(64, 2 * Runtime.getRuntime().availableProcessors()));

    private Compression() {
    }

    /**
     * Compresses {@code body} into a zlib stream, returned at its exact length. The body is deflated
     * into a pooled array with room for zlib's worst case and copied out once, so a send allocates
     * the compressed size and nothing more.
     *
     * @param level 0..9, or -1 for zlib's default
     */
    public static byte[] zlib(byte[] body, int level) {
        if (level < Deflater.DEFAULT_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("zlib level must be -1..9, not " + level);
        }
        WorkspacePool.Workspace workspace = WORKSPACES.borrow();
        try {
            Deflater deflater = workspace.deflater(level);
            deflater.setInput(body);
            deflater.finish();
            byte[] out = workspace.output(worstCase(body.length));
            int n = 0;
            while (!deflater.finished()) {
                if (n == out.length) { // not with zlib's bound as the size; kept as a guard
                    out = workspace.grow(n);
                }
                n += deflater.deflate(out, n, out.length - n);
            }
            return Arrays.copyOf(out, n);
        } finally {
            WORKSPACES.release(workspace);
        }
    }

    /**
     * Runs {@code compressor} with a pooled output array of at least {@code bound} bytes and returns
     * what it wrote, at its exact length: for the codecs whose libraries compress into a given array.
     */
    static byte[] intoScratch(int bound, ScratchCompressor compressor) {
        WorkspacePool.Workspace workspace = WORKSPACES.borrow();
        try {
            byte[] out = workspace.output(bound);
            return Arrays.copyOf(out, compressor.compress(out));
        } finally {
            WORKSPACES.release(workspace);
        }
    }

    /** Compresses into {@code out}, which has room for the codec's worst case, and returns the length. */
    @FunctionalInterface
    interface ScratchCompressor {
        int compress(byte[] out);
    }

    /**
     * Decompresses a body whose {@code sysFlag} has {@link SysFlag#COMPRESSED}, in the format its
     * type bits name; type 0 is what clients before typed compression wrote: zlib.
     *
     * @throws IllegalArgumentException if the body is not a complete stream of that format, the type
     *                                  is unknown, or the library it needs is not on the class path
     */
    public static byte[] decompress(byte[] body, int sysFlag) {
        int type = sysFlag & SysFlag.COMPRESSION_TYPE_MASK;
        Codec codec = type == 0 ? Codec.ZLIB : Codec.ofType(type);
        if (codec == null) {
            throw new IllegalArgumentException("body compressed with unknown type 0x" + Integer.toHexString(type));
        }
        String missing = codec.missingLibrary(Compression.class.getClassLoader());
        if (missing != null) {
            throw new IllegalArgumentException("body compressed with " + codec + ": reading it needs " + missing
                    + " on the class path");
        }
        return switch (codec) {
            case ZLIB -> inflate(body);
            case ZSTD -> ZstdCodec.decompress(body);
            case LZ4 -> Lz4Codec.decompress(body);
        };
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
