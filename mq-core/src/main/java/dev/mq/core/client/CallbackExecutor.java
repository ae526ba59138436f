package dev.mq.core.client;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a client runs completions, hooks and route waiters: the application's executor, or a pool
 * the client owns. It never drops a task — every task stands for an outcome someone waits for.
 * Once the executor stops taking tasks, they run on the calling thread.
 */
final class CallbackExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(CallbackExecutor.class);

    private final Executor target;
    private final ThreadPoolExecutor owned;
    /** Threads of the owned pool: a close() running on one of them must not wait for itself. */
    private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();

    private CallbackExecutor(Executor application, String name) {
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
    static CallbackExecutor create(Executor application, String name) {
        return new CallbackExecutor(application, name);
    }

    @Override
    public void execute(Runnable task) {
        try {
            target.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /**
     * Stops the owned threads, if any, once the tasks queued for them have run. Called from one of
     * them (closing from a completion callback), it returns at once: the queue still drains after
     * the calling task returns. Otherwise it waits up to {@code wait} for the queue to drain, then
     * runs what is still queued on the calling thread — threads held by application code beyond
     * that are left to finish on their own (they are daemons), and no task is dropped.
     */
    void close(Duration wait) {
        if (owned == null) {
            return; // the application's executor: its owner shuts it down
        }
        owned.shutdown();
        if (ownThreads.contains(Thread.currentThread())) {
            return;
        }
        boolean interrupted = false;
        try {
            if (owned.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        List<Runnable> queued = new ArrayList<>();
        owned.getQueue().drainTo(queued);
        if (!queued.isEmpty()) {
            log.warn("callback threads still busy {} ms after close: running {} queued completions on the closing "
                    + "thread", wait.toMillis(), queued.size());
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
