package dev.mq.core.internal.protocol;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.zip.Deflater;
import org.jspecify.annotations.Nullable;

/**
 * A small lock-free pool of compression {@link Workspace}s: a zlib {@link Deflater} (a few hundred KiB
 * of native memory, so reuse pays) and an output array that a body is compressed into before it is
 * copied out at its exact size. A ThreadLocal would not do, because with virtual threads it caches
 * one per task and ends none of them. Here every workspace that does not fit back in is ended at
 * once, and an output array above {@link #MAX_KEPT_BYTES} is never kept, so the pool holds at most
 * its size times that many bytes besides its Deflaters.
 */
final class WorkspacePool {

    /** The largest output array a workspace keeps: room for the worst case of a 256 KiB body. */
    static final int MAX_KEPT_BYTES = 256 * 1024 + 1024;

    /** A Deflater (made on first use) and a reusable output array; used by one thread at a time. */
    static final class Workspace {

        private @Nullable Deflater deflater;
        private byte[] out = new byte[0];

        /** A reset Deflater at {@code level}. */
        Deflater deflater(int level) {
            Deflater d = deflater;
            if (d == null) {
                d = new Deflater(level);
                deflater = d;
            } else {
                d.setLevel(level);
            }
            return d;
        }

        /**
         * An array of at least {@code length} bytes: the kept one, grown if needed (and then kept
         * only up to {@link #MAX_KEPT_BYTES}).
         */
        byte[] output(int length) {
            if (out.length < length) {
                out = new byte[length];
            }
            return out;
        }

        /** Makes room for more output than {@link #output} gave: a copy of the bytes so far, twice as large. */
        byte[] grow(int written) {
            byte[] bigger = new byte[Math.max(64, out.length * 2)];
            System.arraycopy(out, 0, bigger, 0, written);
            out = bigger;
            return bigger;
        }

        /** Resets the Deflater for the next body and drops an output array too large to keep. */
        void reset() {
            if (deflater != null) {
                deflater.reset();
            }
            if (out.length > MAX_KEPT_BYTES) {
                out = new byte[0];
            }
        }

        void end() {
            if (deflater != null) {
                deflater.end();
                deflater = null;
            }
        }

        /** The array {@link #output} returns next; for tests. */
        byte[] keptOutput() {
            return out;
        }

        /** The Deflater, if one was made; for tests. */
        @Nullable Deflater keptDeflater() {
            return deflater;
        }
    }

    private final AtomicReferenceArray<Workspace> slots;

    WorkspacePool(int size) {
        this.slots = new AtomicReferenceArray<>(size);
    }

    /** A workspace from the pool, or a new one. */
    Workspace borrow() {
        int n = slots.length();
        int start = startSlot(n);
        for (int i = 0; i < n; i++) {
            int slot = (start + i) % n;
            Workspace w = slots.get(slot);
            if (w != null && slots.compareAndSet(slot, w, null)) {
                return w;
            }
        }
        return new Workspace();
    }

    /** Resets {@code w} and keeps it, or ends it if the pool is full. */
    void release(Workspace w) {
        w.reset();
        int n = slots.length();
        int start = startSlot(n);
        for (int i = 0; i < n; i++) {
            int slot = (start + i) % n;
            if (slots.get(slot) == null && slots.compareAndSet(slot, null, w)) {
                return;
            }
        }
        w.end();
    }

    /** Ends every pooled workspace; for tests. */
    void clear() {
        for (int i = 0; i < slots.length(); i++) {
            Workspace w = slots.getAndSet(i, null);
            if (w != null) {
                w.end();
            }
        }
    }

    /** Number of pooled workspaces; for tests. */
    int idle() {
        int count = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                count++;
            }
        }
        return count;
    }

    private static int startSlot(int n) {
        // Spread threads over the slots so they rarely race for the same one.
        return (int) (Thread.currentThread().getId() % n);
    }
}
