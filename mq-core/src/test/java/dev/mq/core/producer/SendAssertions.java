package dev.mq.core.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waits shared by the producer tests. */
public final class SendAssertions {

    private SendAssertions() {
    }

    /** The failure of {@code future}, which must fail within 10 s. */
    public static MQException failure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(MQException.class);
            return (MQException) e.getCause();
        }
        throw new AssertionError("expected the send to fail");
    }

    /** Waits until {@code condition} holds, at most 5 s. */
    public static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }
}
