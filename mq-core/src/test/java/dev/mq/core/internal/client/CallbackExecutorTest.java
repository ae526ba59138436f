package dev.mq.core.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallbackExecutorTest {

    /** Threads held by application code past the wait: close() runs the queued tasks itself, drops none. */
    @Test
    void closeRunsWhatIsStillQueuedWhenTheThreadsStayBusy() throws Exception {
        CallbackExecutor executor = CallbackExecutor.create(null, "close-test");
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            executor.execute(() -> {
                busy.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            executor.execute(ran::incrementAndGet);
        }
        long start = System.nanoTime();
        executor.close(Duration.ofMillis(100));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        try {
            assertThat(ran).hasValue(50);
            assertThat(took).isLessThan(2_000);
            // After close, a task still runs (on the caller's thread) rather than being dropped.
            executor.execute(ran::incrementAndGet);
            assertThat(ran).hasValue(51);
        } finally {
            release.countDown();
        }
    }
}
