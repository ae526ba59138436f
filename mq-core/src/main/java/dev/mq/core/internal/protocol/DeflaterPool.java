package dev.mq.core.internal.protocol;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.zip.Deflater;

/**
 * A small lock-free pool of zlib {@link Deflater}s. A Deflater holds a few hundred KiB of native
 * memory, so reuse pays; a ThreadLocal would not do, because with virtual threads it caches one per
 * task and ends none of them. Here every Deflater that does not fit back in is ended at once.
 */
final class DeflaterPool {

    private final AtomicReferenceArray<Deflater> slots;

    DeflaterPool(int size) {
        this.slots = new AtomicReferenceArray<>(size);
    }

    /** A reset Deflater at {@code level}, from the pool or new. */
    Deflater borrow(int level) {
        int n = slots.length();
        int start = startSlot(n);
        for (int i = 0; i < n; i++) {
            int slot = (start + i) % n;
            Deflater d = slots.get(slot);
            if (d != null && slots.compareAndSet(slot, d, null)) {
                d.setLevel(level);
                return d;
            }
        }
        return new Deflater(level);
    }

    /** Resets {@code d} and keeps it, or ends it if the pool is full. */
    void release(Deflater d) {
        d.reset();
        int n = slots.length();
        int start = startSlot(n);
        for (int i = 0; i < n; i++) {
            int slot = (start + i) % n;
            if (slots.get(slot) == null && slots.compareAndSet(slot, null, d)) {
                return;
            }
        }
        d.end();
    }

    /** Ends every pooled Deflater; for tests. */
    void clear() {
        for (int i = 0; i < slots.length(); i++) {
            Deflater d = slots.getAndSet(i, null);
            if (d != null) {
                d.end();
            }
        }
    }

    /** Number of pooled Deflaters; for tests. */
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
