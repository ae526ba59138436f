package dev.mq.core.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CacheBudgetTest {

    @Test
    void reservationsNeverExceedTheMessageCapHoweverManyPullsAsk() {
        CacheBudget budget = new CacheBudget(100, 1 << 20);
        assertThat(budget.reserve(32)).isEqualTo(32);
        assertThat(budget.reserve(32)).isEqualTo(32);
        assertThat(budget.reserve(32)).isEqualTo(32);
        assertThat(budget.reserve(32)).as("only 4 left").isEqualTo(4);
        assertThat(budget.reserve(32)).isZero();
        assertThat(budget.messages()).isEqualTo(100);
    }

    @Test
    void aPullGivesBackWhatItsAnswerDidNotUse() {
        CacheBudget budget = new CacheBudget(100, 1 << 20);
        int reserved = budget.reserve(32);
        assertThat(budget.cachedMessages()).as("a reservation is not a cached message").isZero();
        budget.settle(reserved, 5, 500);
        assertThat(budget.messages()).isEqualTo(5);
        assertThat(budget.cachedMessages()).isEqualTo(5);
        assertThat(budget.bytes()).isEqualTo(500);
        budget.release(5, 500);
        assertThat(budget.messages()).isZero();
        assertThat(budget.cachedMessages()).isZero();
        assertThat(budget.bytes()).isZero();
    }

    @Test
    void theByteCapStopsPullsUntilBytesAreReleased() {
        CacheBudget budget = new CacheBudget(1000, 1000);
        budget.settle(budget.reserve(10), 10, 1000);
        assertThat(budget.reserve(10)).isZero();
        budget.release(1, 100);
        assertThat(budget.reserve(10)).isEqualTo(10);
    }

    @Test
    void aParkedPullRunsOnceWhenRoomFreesAndNotBefore() {
        CacheBudget budget = new CacheBudget(32, 1 << 20);
        budget.settle(budget.reserve(32), 32, 3200);
        AtomicInteger runs = new AtomicInteger();
        budget.whenRoom(runs::incrementAndGet);
        assertThat(runs.get()).isZero();
        assertThat(budget.parkedPulls()).isEqualTo(1);
        budget.release(1, 100);
        assertThat(runs.get()).isEqualTo(1);
        budget.release(1, 100);
        assertThat(runs.get()).as("it ran once").isEqualTo(1);
        assertThat(budget.parkedPulls()).isZero();
    }

    @Test
    void aPullParkedJustAfterRoomFreedRunsAtOnce() {
        CacheBudget budget = new CacheBudget(32, 1 << 20);
        AtomicInteger runs = new AtomicInteger();
        budget.whenRoom(runs::incrementAndGet); // the caller's reserve failed, then room freed before it parked
        assertThat(runs.get()).isEqualTo(1);
    }
}
