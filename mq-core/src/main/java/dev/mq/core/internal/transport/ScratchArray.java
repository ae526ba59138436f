package dev.mq.core.internal.transport;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * A byte array reused per thread, for bytes that are copied out again before the thread next asks
 * (a header read into strings, an escaped string copied into a frame). Requests above the size
 * limit get an array of their own, so a rare huge header does not stay in memory.
 */
final class ScratchArray {

    private final int maxReused;
    private final FastThreadLocal<byte[]> arrays;

    ScratchArray(int initialSize, int maxReused) {
        this.maxReused = maxReused;
        this.arrays = new FastThreadLocal<>() {
            @Override
            protected byte[] initialValue() {
                return new byte[initialSize];
            }
        };
    }

    /** An array of at least {@code length} bytes. */
    byte[] get(int length) {
        if (length > maxReused) {
            return new byte[length];
        }
        byte[] bytes = arrays.get();
        if (bytes.length < length) {
            bytes = new byte[Math.min(Math.max(length, bytes.length * 2), maxReused)];
            arrays.set(bytes);
        }
        return bytes;
    }
}
