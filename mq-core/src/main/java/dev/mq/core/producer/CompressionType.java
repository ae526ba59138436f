package dev.mq.core.producer;

/**
 * How a producer compresses bodies of at least {@link ProducerConfig.Builder#compressThreshold} bytes.
 * A consumer must read the format chosen: every RocketMQ consumer reads {@link #ZLIB}; {@link #ZSTD}
 * and {@link #LZ4} need RocketMQ 5 consumers (4.9 consumers fail on them) and an optional library on
 * this producer's class path.
 */
public enum CompressionType {
    /** zlib (the JDK's); levels 1 (fast) to 9 (small). The default: every consumer reads it. */
    ZLIB,
    /** Zstandard; levels 1 (fast) to 22 (small). Needs {@code com.github.luben:zstd-jni}. */
    ZSTD,
    /** LZ4 frames, the fastest; it has no levels. Needs {@code at.yawk.lz4:lz4-java}. */
    LZ4
}
