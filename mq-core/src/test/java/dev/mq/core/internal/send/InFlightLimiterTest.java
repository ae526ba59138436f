package dev.mq.core.internal.send;

import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.Clock;
import dev.mq.core.MQException;
import dev.mq.core.producer.BackpressurePolicy;
import dev.mq.core.producer.SendAssertions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightLimiterTest {

    private static long in(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void requestCapIsEnforced() {
        InFlightLimiter limiter = new InFlightLimiter(2, 1_000, BackpressurePolicy.FAIL, Clock.system());
        limiter.acquire(1, in(1_000));
        limiter.acquire(1, in(1_000));
        assertThat(limiter.inFlightRequests()).isEqualTo(2);
        assertThatThrownBy(() -> limiter.acquire(1, in(1_000)))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.BACKPRESSURE))
                .hasMessageContaining("2 requests");
        assertThat(limiter.inFlightRequests()).isEqualTo(2);
        limiter.release(1);
        limiter.acquire(1, in(1_000)); // a freed slot is usable again
        assertThat(limiter.inFlightRequests()).isEqualTo(2);
    }

    @Test
    void aShrunkSendGivesBackTheDifferenceAndReleasesWhatItKept() {
        InFlightLimiter limiter = new InFlightLimiter(10, 100, BackpressurePolicy.FAIL, Clock.system());
        limiter.acquire(80, in(1_000)); // taken for an uncompressed body...
        limiter.shrink(80, 30);          // ...that compressed to 30 bytes
        assertThat(limiter.inFlightBytes()).isEqualTo(30);
        limiter.acquire(70, in(1_000)); // the room it gave back is usable at once
        limiter.release(70);
        limiter.release(30);
        assertThat(limiter.inFlightBytes()).isZero();
        assertThat(limiter.inFlightRequests()).isZero();

        limiter.acquire(500, in(1_000)); // larger than the cap: it took the whole cap
        limiter.shrink(500, 120);        // still larger: nothing to give back
        assertThat(limiter.inFlightBytes()).isEqualTo(100);
        limiter.shrink(120, 40);         // now 40 of the cap's 100
        assertThat(limiter.inFlightBytes()).isEqualTo(40);
        limiter.release(40);
        assertThat(limiter.inFlightBytes()).isZero();
    }

    @Test
    void byteCapIsEnforced() {
        InFlightLimiter limiter = new InFlightLimiter(100, 100, BackpressurePolicy.FAIL, Clock.system());
        limiter.acquire(60, in(1_000));
        assertThat(limiter.inFlightBytes()).isEqualTo(60);
        assertThatThrownBy(() -> limiter.acquire(41, in(1_000)))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.BACKPRESSURE))
                .hasMessageContaining("100 bytes");
        limiter.acquire(40, in(1_000)); // exactly fills the cap
        assertThat(limiter.inFlightBytes()).isEqualTo(100);
        assertThat(limiter.inFlightRequests()).isEqualTo(2);
    }

    @Test
    void failPolicyThrowsBackpressureAtOnceEvenWithAFarDeadline() {
        InFlightLimiter limiter = new InFlightLimiter(1, 100, BackpressurePolicy.FAIL, Clock.system());
        limiter.acquire(1, in(10_000));
        long start = System.nanoTime();
        assertThatThrownBy(() -> limiter.acquire(1, in(10_000)))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.BACKPRESSURE));
        assertThat(elapsedMs(start)).isLessThan(1_000);
    }

    @Test
    void blockPolicyWaitsAndSucceedsWhenAnotherThreadReleases() throws Exception {
        InFlightLimiter limiter = new InFlightLimiter(1, 100, BackpressurePolicy.BLOCK, Clock.system());
        limiter.acquire(10, in(1_000));
        Thread[] waiter = new Thread[1];
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            waiter[0] = Thread.currentThread();
            limiter.acquire(10, in(10_000));
        });
        waitUntil(() -> waiter[0] != null && waiter[0].getState() == Thread.State.TIMED_WAITING);
        assertThat(blocked).isNotDone();
        limiter.release(10);
        blocked.get(5, TimeUnit.SECONDS);
        assertThat(limiter.inFlightRequests()).isEqualTo(1);
        assertThat(limiter.inFlightBytes()).isEqualTo(10);
    }

    @Test
    void blockPolicyWaitsForBytesAndSucceedsWhenAnotherThreadReleases() throws Exception {
        InFlightLimiter limiter = new InFlightLimiter(10, 100, BackpressurePolicy.BLOCK, Clock.system());
        limiter.acquire(100, in(1_000));
        Thread[] waiter = new Thread[1];
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            waiter[0] = Thread.currentThread();
            limiter.acquire(50, in(10_000));
        });
        waitUntil(() -> waiter[0] != null && waiter[0].getState() == Thread.State.TIMED_WAITING);
        assertThat(blocked).isNotDone();
        limiter.release(100);
        blocked.get(5, TimeUnit.SECONDS);
        assertThat(limiter.inFlightRequests()).isEqualTo(1);
        assertThat(limiter.inFlightBytes()).isEqualTo(50);
    }

    @Test
    void blockPolicyGivesTimeoutAtTheDeadlineWhenNoRequestSlotFrees() {
        InFlightLimiter limiter = new InFlightLimiter(1, 100, BackpressurePolicy.BLOCK, Clock.system());
        limiter.acquire(1, in(1_000));
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(300);
        assertThatThrownBy(() -> limiter.acquire(1, deadline))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.TIMEOUT))
                .hasMessageContaining("until the send deadline");
        assertThat(elapsedMs(start)).isBetween(250L, 350L);
        assertThat(limiter.inFlightRequests()).isEqualTo(1);
    }

    @Test
    void blockPolicyGivesTimeoutAtTheDeadlineWhenNoBytesFree() {
        InFlightLimiter limiter = new InFlightLimiter(10, 100, BackpressurePolicy.BLOCK, Clock.system());
        limiter.acquire(100, in(1_000));
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(300);
        assertThatThrownBy(() -> limiter.acquire(1, deadline))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.TIMEOUT));
        assertThat(elapsedMs(start)).isBetween(250L, 350L);
    }

    @Test
    void aFailedByteAcquireGivesBackTheRequestPermitUnderFail() {
        InFlightLimiter limiter = new InFlightLimiter(2, 100, BackpressurePolicy.FAIL, Clock.system());
        limiter.acquire(100, in(1_000));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> limiter.acquire(1, in(1_000))).isInstanceOf(MQException.class);
        }
        assertThat(limiter.inFlightRequests()).isEqualTo(1);
        limiter.release(100);
        assertThat(limiter.inFlightRequests()).isZero();
        assertThat(limiter.inFlightBytes()).isZero();
        limiter.acquire(50, in(1_000));
        limiter.acquire(50, in(1_000)); // both request slots are still there
        assertThat(limiter.inFlightRequests()).isEqualTo(2);
    }

    @Test
    void aTimedOutByteAcquireGivesBackTheRequestPermitUnderBlock() {
        InFlightLimiter limiter = new InFlightLimiter(2, 100, BackpressurePolicy.BLOCK, Clock.system());
        limiter.acquire(100, in(1_000));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> limiter.acquire(1, in(20)))
                    .isInstanceOfSatisfying(MQException.class,
                            e -> assertThat(e.reason()).isEqualTo(MQException.Reason.TIMEOUT));
        }
        assertThat(limiter.inFlightRequests()).isEqualTo(1);
        limiter.release(100);
        limiter.acquire(50, in(1_000));
        limiter.acquire(50, in(1_000));
        assertThat(limiter.inFlightRequests()).isEqualTo(2);
        assertThat(limiter.inFlightBytes()).isEqualTo(100);
    }

    @Test
    void aSizeAboveTheByteCapTakesTheWholeCapAndGivesItBack() {
        InFlightLimiter limiter = new InFlightLimiter(2, 100, BackpressurePolicy.FAIL, Clock.system());
        limiter.acquire(500, in(1_000));
        assertThat(limiter.inFlightBytes()).isEqualTo(100);
        limiter.release(500);
        assertThat(limiter.inFlightBytes()).isZero();
    }

    @Test
    void awaitIdleReturnsTrueOnceEverythingIsReleased() throws Exception {
        InFlightLimiter limiter = new InFlightLimiter(4, 100, BackpressurePolicy.BLOCK, Clock.system());
        limiter.acquire(10, in(1_000));
        limiter.acquire(20, in(1_000));
        Thread[] waiter = new Thread[1];
        CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
            waiter[0] = Thread.currentThread();
            return limiter.awaitIdle(in(10_000));
        });
        waitUntil(() -> waiter[0] != null && waiter[0].getState() == Thread.State.TIMED_WAITING);
        limiter.release(10);
        assertThat(limiter.inFlightRequests()).isEqualTo(1);
        assertThat(idle).isNotDone(); // one request is still in flight
        long start = System.nanoTime();
        limiter.release(20);
        assertThat(idle.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(elapsedMs(start)).isLessThan(1_000); // woken, not timed out
    }

    @Test
    void awaitIdleReturnsTrueAtOnceWhenNothingIsInFlight() {
        InFlightLimiter limiter = new InFlightLimiter(4, 100, BackpressurePolicy.BLOCK, Clock.system());
        assertThat(limiter.awaitIdle(in(10))).isTrue();
    }

    @Test
    void awaitIdleReturnsFalseAtItsDeadline() {
        InFlightLimiter limiter = new InFlightLimiter(4, 100, BackpressurePolicy.BLOCK, Clock.system());
        limiter.acquire(10, in(1_000));
        long start = System.nanoTime();
        assertThat(limiter.awaitIdle(start + TimeUnit.MILLISECONDS.toNanos(200))).isFalse();
        assertThat(elapsedMs(start)).isBetween(150L, 250L);
        assertThat(limiter.inFlightRequests()).isEqualTo(1);
    }
}
