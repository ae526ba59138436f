package dev.mq.core.internal.protocol;

/**
 * Bits of the int32 {@code sysFlag} in send headers and stored messages. A producer sets only the
 * compression and transaction bits; the others are the broker's.
 */
public final class SysFlag {

    /** The body is compressed; bits 8–10 say how (0 there means zlib, for old clients). */
    public static final int COMPRESSED = 0x1;
    /** Set by the broker for multi-tag topics. */
    public static final int MULTI_TAGS = 0x2;
    /** Mask of the two transaction-type bits. */
    public static final int TRANSACTION_TYPE_MASK = 0xC;
    /** Not transactional. */
    public static final int TRANSACTION_NOT_TYPE = 0x0;
    /** A half message, waiting for commit or rollback. */
    public static final int TRANSACTION_PREPARED = 0x4;
    /** Committed (broker side). */
    public static final int TRANSACTION_COMMIT = 0x8;
    /** Rolled back (broker side). */
    public static final int TRANSACTION_ROLLBACK = 0xC;
    /** The born host in a stored message is IPv6. */
    public static final int BORNHOST_V6 = 0x10;
    /** The store host in a stored message is IPv6. */
    public static final int STOREHOST_V6 = 0x20;
    /** Mask of the compression-type bits. */
    public static final int COMPRESSION_TYPE_MASK = 0x700;
    /** LZ4 frame; needs a consumer that reads typed compression (RocketMQ 5). */
    public static final int COMPRESSION_LZ4 = 0x100;
    /** Zstandard frame; needs a consumer that reads typed compression (RocketMQ 5). */
    public static final int COMPRESSION_ZSTD = 0x200;
    /** zlib stream; every consumer version can read it. */
    public static final int COMPRESSION_ZLIB = 0x300;

    private SysFlag() {
    }

    /** The flag for a zlib-compressed body: {@code 0x301}. */
    public static int compressedZlib() {
        return Compression.Codec.ZLIB.sysFlag();
    }

    /** Whether {@code sysFlag} marks the body as compressed. */
    public static boolean isCompressed(int sysFlag) {
        return (sysFlag & COMPRESSED) != 0;
    }
}
