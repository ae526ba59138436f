package dev.mq.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs one scenario against one {@link BenchClient}: a warm-up phase, then a timed phase whose CPU
 * time, allocation and per-message latency are measured.
 *
 * <p>The sending threads live through both phases and both cost snapshots, so the bytes they
 * allocate are counted (a dead thread's allocation counter is gone). Asynchronous sends still in
 * flight at the end of a phase are waited for before the phase counts as over, so the timed window
 * includes the answers to everything it sent and nothing from the warm-up.
 *
 * <p>With a {@link RunSpec#rate() rate}, the asynchronous sender sends the k-th message of a phase
 * no earlier than k / rate seconds after the phase's start, each stamped with its send time: a
 * steady load for end-to-end latency measured by a consumer.
 */
public final class SendDriver {

    /** How long to wait for outstanding asynchronous answers at the end of a phase. */
    private static final long DRAIN_TIMEOUT_SECONDS = 60;

    private final BenchClient client;
    private final RunSpec spec;
    private final byte[] body;
    private final LatencyHistogram latencies = new LatencyHistogram();
    private final LongAdder ok = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong totalOk = new AtomicLong();
    private final AtomicLong totalErrors = new AtomicLong();
    private final Semaphore inFlight;
    private volatile Phase phase;
    private volatile Throwable firstError;

    public SendDriver(BenchClient client, RunSpec spec) {
        this.client = client;
        this.spec = spec;
        this.body = MessageSpec.body(spec.bytes());
        this.inFlight = new Semaphore(spec.inFlight());
    }

    /** Runs both phases and returns the timed phase's figures. */
    public RunOutcome run() throws Exception {
        int senders = spec.mode() == Mode.ASYNC ? 1 : spec.threads();
        CyclicBarrier barrier = new CyclicBarrier(senders + 1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            Thread t = new Thread(() -> senderLoop(barrier), "bench-sender-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        try {
            phase = Phase.timed(spec.warmupNanos());
            runPhase(barrier);
            ok.reset();
            errors.reset();
            latencies.reset();

            phase = spec.messages() > 0 ? Phase.counted(spec.messages()) : Phase.timed(spec.durationNanos());
            ProcessCost before = ProcessCost.now();
            long start = System.nanoTime();
            runPhase(barrier);
            long elapsed = System.nanoTime() - start;
            ProcessCost after = ProcessCost.now();
            barrier.await(10, TimeUnit.SECONDS); // lets the senders finish
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            long messages = ok.sum();
            Throwable error = firstError;
            return new RunOutcome(messages, elapsed, after.cpuNanosSince(before), after.allocatedBytesSince(before),
                    errors.sum(), totalOk.get(), totalOk.get() + totalErrors.get(),
                    error == null ? null : error.getClass().getSimpleName() + ": " + error.getMessage(), latencies);
        } finally {
            for (Thread t : threads) {
                t.interrupt();
            }
        }
    }

    /** Starts the senders on the current phase, waits until they stop, then for the answers. */
    private void runPhase(CyclicBarrier barrier) throws InterruptedException, BrokenBarrierException, TimeoutException {
        phase.start();
        long bound = phase.nanos + TimeUnit.SECONDS.toNanos(300);
        barrier.await(bound, TimeUnit.NANOSECONDS);
        barrier.await(bound, TimeUnit.NANOSECONDS);
        if (!inFlight.tryAcquire(spec.inFlight(), DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new TimeoutException((spec.inFlight() - inFlight.availablePermits())
                    + " asynchronous sends still unanswered after " + DRAIN_TIMEOUT_SECONDS + " s");
        }
        inFlight.release(spec.inFlight());
    }

    private void senderLoop(CyclicBarrier barrier) {
        try {
            for (int p = 0; p < 2; p++) {
                barrier.await();
                Phase current = phase;
                long sent = 0;
                while (current.next()) {
                    if (spec.rate() > 0) {
                        pace(current, sent++);
                    }
                    sendOne();
                }
                barrier.await();
            }
            barrier.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the {@code index}-th send of the phase is due. */
    private void pace(Phase current, long index) throws InterruptedException {
        long due = current.startNanos + index * 1_000_000_000L / spec.rate();
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void sendOne() throws InterruptedException {
        String topic = spec.topic();
        switch (spec.mode()) {
            case SYNC -> {
                long start = System.nanoTime();
                try {
                    client.sendSync(topic, body);
                    succeeded(start);
                } catch (Exception e) {
                    failed(e);
                }
            }
            case ONEWAY -> {
                long start = System.nanoTime();
                try {
                    client.sendOneway(topic, body);
                    succeeded(start);
                } catch (Exception e) {
                    failed(e);
                }
            }
            case ASYNC -> {
                inFlight.acquire();
                long start = System.nanoTime();
                try {
                    if (spec.rate() > 0) {
                        client.sendAsyncStamped(topic, body, MessageSpec.nowMicros(), start, this::completed);
                    } else {
                        client.sendAsync(topic, body, start, this::completed);
                    }
                } catch (Exception e) {
                    inFlight.release();
                    failed(e);
                }
            }
        }
    }

    private void completed(long start, Throwable error) {
        if (error == null) {
            succeeded(start);
        } else {
            failed(error);
        }
        inFlight.release();
    }

    private void succeeded(long start) {
        latencies.record(System.nanoTime() - start);
        ok.increment();
        totalOk.incrementAndGet();
    }

    private void failed(Throwable error) {
        errors.increment();
        totalErrors.incrementAndGet();
        if (firstError == null) {
            firstError = error;
        }
    }

    /** When a phase's senders stop: at a deadline, or after a number of sends shared by all senders. */
    private static final class Phase {

        private final long nanos;
        private final AtomicLong remaining;
        private volatile long deadline;
        private volatile long startNanos;

        private Phase(long nanos, AtomicLong remaining) {
            this.nanos = nanos;
            this.remaining = remaining;
        }

        static Phase timed(long nanos) {
            return new Phase(nanos, null);
        }

        static Phase counted(long messages) {
            return new Phase(0, new AtomicLong(messages));
        }

        void start() {
            startNanos = System.nanoTime();
            deadline = startNanos + nanos;
        }

        boolean next() {
            return remaining != null ? remaining.getAndDecrement() > 0 : System.nanoTime() < deadline;
        }
    }
}
