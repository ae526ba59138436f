package dev.mq.core.internal.client;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where clients run completions, hooks, route waiters and the compression of unordered asynchronous
 * sends: the application's executor, or a pool their {@link ClientResources} own. It never drops a
 * task — every task stands for an outcome someone waits for — and never runs one on the calling
 * thread (often an event loop) while the resources are open: a task the executor rejects (full, or
 * shut down before the resources) goes to an overflow thread of the resources. Only once they have
 * closed do rejected tasks run on the calling thread.
 */
public final class CallbackExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(CallbackExecutor.class);

    private final Executor target;
    private final @Nullable ThreadPoolExecutor owned;
    /** Threads of the owned pool: a close() running on one of them must not wait for itself. */
    private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();
    private final String name;
    /** Created on the first rejection; rejected tasks queue here without bound, as on the owned pool. */
    private @Nullable ThreadPoolExecutor overflow;
    private boolean closed;

    private CallbackExecutor(@Nullable Executor application, String name) {
        this.name = name;
        if (application != null) {
            this.target = application;
            this.owned = null;
        } else {
            // The queue needs no bound of its own: every task stands for a request admitted under a
            // producer's in-flight cap.
            int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
            this.owned = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    remembered(new DefaultThreadFactory("mq-callback-" + name, true)));
            this.target = owned;
        }
    }

    /** Runs tasks on {@code application}, or on an owned pool of daemon threads if it is null. */
    public static CallbackExecutor create(@Nullable Executor application, String name) {
        return new CallbackExecutor(application, name);
    }

    @Override
    public void execute(Runnable task) {
        try {
            target.execute(task);
        } catch (RejectedExecutionException e) {
            ThreadPoolExecutor spare = overflow();
            if (spare == null) {
                task.run(); // the resources have closed: nothing else will run it
                return;
            }
            try {
                spare.execute(task);
            } catch (RejectedExecutionException closing) {
                task.run();
            }
        }
    }

    /** The overflow pool (one thread, gone when idle), or null once the resources have closed. */
    private synchronized @Nullable ThreadPoolExecutor overflow() {
        if (closed) {
            return null;
        }
        if (overflow == null) {
            overflow = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    remembered(new DefaultThreadFactory("mq-callback-overflow-" + name, true)));
            overflow.allowCoreThreadTimeOut(true);
            log.warn("the callback executor of client {} rejected a task: rejected tasks now run on thread {}",
                    name, "mq-callback-overflow-" + name);
        }
        return overflow;
    }

    /**
     * Stops the owned threads (the default pool, the overflow thread) once the tasks queued for them
     * have run; from then on rejected tasks run on the calling thread. Called from one of
     * them (closing from a completion callback), it returns at once: the queue still drains after
     * the calling task returns. Otherwise it waits up to {@code wait} for the queue to drain, then
     * runs what is still queued on the calling thread — threads held by application code beyond
     * that are left to finish on their own (they are daemons), and no task is dropped.
     */
    public void close(Duration wait) {
        // Real time, not the client's clock: this waits for threads, and a test's manual clock never moves.
        long deadline = System.nanoTime() + wait.toNanos();
        if (owned != null) { // not the application's executor: its owner shuts it down
            stop(owned, deadline);
        }
        ThreadPoolExecutor spare;
        synchronized (this) {
            closed = true;
            spare = overflow;
        }
        if (spare != null) {
            stop(spare, deadline);
        }
    }

    private void stop(ThreadPoolExecutor pool, long deadline) {
        pool.shutdown();
        if (ownThreads.contains(Thread.currentThread())) {
            return;
        }
        boolean interrupted = false;
        try {
            if (pool.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        List<Runnable> queued = new ArrayList<>();
        pool.getQueue().drainTo(queued);
        if (!queued.isEmpty()) {
            log.warn("callback threads still busy at the end of close: running {} queued completions on the "
                    + "closing thread", queued.size());
        }
        for (Runnable task : queued) {
            runGuarded(task);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.warn("callback task failed", e);
        }
    }

    private ThreadFactory remembered(ThreadFactory factory) {
        return task -> {
            Thread thread = factory.newThread(() -> {
                try {
                    task.run();
                } finally {
                    ownThreads.remove(Thread.currentThread());
                }
            });
            ownThreads.add(thread);
            return thread;
        };
    }
}
