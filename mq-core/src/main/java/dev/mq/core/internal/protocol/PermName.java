package dev.mq.core.internal.protocol;

/** Permission bits of a topic's queues on one broker ({@code perm} in route data). */
public final class PermName {

    /** Queues created from this topic may inherit it (only TBW102 has it). */
    public static final int INHERIT = 0x1;
    /** Producers may send. */
    public static final int WRITE = 0x2;
    /** Consumers may read. */
    public static final int READ = 0x4;
    /** Priority topic. */
    public static final int PRIORITY = 0x8;

    private PermName() {
    }

    /** Whether a producer may send to queues with {@code perm}. */
    public static boolean isWriteable(int perm) {
        return (perm & WRITE) != 0;
    }

    /** Whether a consumer may read queues with {@code perm}. */
    public static boolean isReadable(int perm) {
        return (perm & READ) != 0;
    }
}
