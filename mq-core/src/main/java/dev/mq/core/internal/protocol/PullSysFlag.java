package dev.mq.core.internal.protocol;

/**
 * The {@code sysFlag} bits of a PULL_MESSAGE request (the same in 4.9 and 5.x). Not to be confused
 * with a stored message's {@link SysFlag}.
 */
public final class PullSysFlag {

    /** The broker stores the request's {@code commitOffset} as the group's offset for the queue. */
    public static final int COMMIT_OFFSET = 0x1;
    /** The broker may hold the request until a message arrives or {@code suspendTimeoutMillis} passes. */
    public static final int SUSPEND = 0x2;
    /**
     * The request carries its own {@code subscription}. Without it the broker needs a subscription
     * registered on that very broker by a heartbeat at least as new as the request's, a race after
     * every rebalance; with it, pulls work even before the first heartbeat.
     */
    public static final int SUBSCRIPTION = 0x4;
    /** Legacy filter-server mode; never set. */
    public static final int CLASS_FILTER = 0x8;
    /** Marks a lite-pull consumer's request. */
    public static final int LITE_PULL_MESSAGE = 0x10;

    private PullSysFlag() {
    }

    /**
     * The flag of a push consumer's pull: always suspended and carrying its subscription; the commit
     * bit only with an offset worth storing, since a broker would otherwise store {@code -1} or
     * overwrite a real offset with 0.
     */
    public static int of(boolean commitOffset, boolean suspend, boolean subscription) {
        return (commitOffset ? COMMIT_OFFSET : 0) | (suspend ? SUSPEND : 0) | (subscription ? SUBSCRIPTION : 0);
    }

    public static boolean hasCommitOffset(int sysFlag) {
        return (sysFlag & COMMIT_OFFSET) != 0;
    }

    public static boolean hasSuspend(int sysFlag) {
        return (sysFlag & SUSPEND) != 0;
    }

    public static boolean hasSubscription(int sysFlag) {
        return (sysFlag & SUBSCRIPTION) != 0;
    }

    /** The flag without the commit bit: a pull sent to a slave must not commit (the official client clears it). */
    public static int withoutCommitOffset(int sysFlag) {
        return sysFlag & ~COMMIT_OFFSET;
    }
}
