package dev.mq.core.internal.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyFaultToleranceTest {

    @ParameterizedTest(name = "latency {0} ms -> penalty {1} ms")
    @CsvSource({
            "0, 0", "49, 0", "50, 0", "99, 0", "100, 0", "549, 0",
            "550, 2000", "1799, 2000", "1800, 5000", "2999, 5000", "3000, 6000", "4999, 6000",
            "5000, 10000", "14999, 10000", "15000, 30000", "600000, 30000"
    })
    void penaltyFollowsTheRocketMQ514Table(long latencyMs, long penaltyMs) {
        assertThat(LatencyFaultTolerance.penaltyFor(latencyMs)).isEqualTo(penaltyMs);
    }

    @Test
    void aFailureCountsAsTenSecondsOfLatencyAndSoATenSecondPenalty() {
        assertThat(LatencyFaultTolerance.FAILURE_LATENCY_MS).isEqualTo(10_000);
        assertThat(LatencyFaultTolerance.penaltyFor(LatencyFaultTolerance.FAILURE_LATENCY_MS)).isEqualTo(10_000);
    }

    @Test
    void unknownBrokersAreAvailable() {
        LatencyFaultTolerance lft = new LatencyFaultTolerance(true, Clock.system());
        assertThat(lft.isAvailable("broker-a")).isTrue();
    }

    @Test
    void aFailedBrokerIsUnavailableAndOthersAreNot() {
        LatencyFaultTolerance lft = new LatencyFaultTolerance(true, Clock.system());
        lft.record("broker-a", 1, true);
        assertThat(lft.isAvailable("broker-a")).isFalse();
        assertThat(lft.isAvailable("broker-b")).isTrue();
    }

    @Test
    void fastAnswersLeaveABrokerAvailable() {
        LatencyFaultTolerance lft = new LatencyFaultTolerance(true, Clock.system());
        lft.record("broker-a", 49, false);
        lft.record("broker-a", 549, false);
        assertThat(lft.isAvailable("broker-a")).isTrue();
    }

    @Test
    void aSlowAnswerMakesTheBrokerUnavailableUntilItsPenaltyExpires() throws InterruptedException {
        LatencyFaultTolerance lft = new LatencyFaultTolerance(true, Clock.system());
        long start = System.nanoTime();
        lft.record("broker-a", 550, false); // 2 s penalty
        assertThat(lft.isAvailable("broker-a")).isFalse();
        long deadline = start + TimeUnit.SECONDS.toNanos(5);
        while (!lft.isAvailable("broker-a")) {
            assertThat(System.nanoTime()).as("penalty never expired").isLessThan(deadline);
            Thread.sleep(5);
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMs).isBetween(1_950L, 2_300L);
    }

    @Test
    void aFastAnswerReEnablesAPenalisedBrokerAtOnce() {
        LatencyFaultTolerance lft = new LatencyFaultTolerance(true, Clock.system());
        lft.record("broker-a", 0, true);
        assertThat(lft.isAvailable("broker-a")).isFalse();
        lft.record("broker-a", 30, false);
        assertThat(lft.isAvailable("broker-a")).isTrue();
    }

    @Test
    void aLaterSlowAnswerReplacesTheEarlierPenalty() {
        LatencyFaultTolerance lft = new LatencyFaultTolerance(true, Clock.system());
        lft.record("broker-a", 30, false);
        assertThat(lft.isAvailable("broker-a")).isTrue();
        lft.record("broker-a", 3_000, false);
        assertThat(lft.isAvailable("broker-a")).isFalse();
    }

    @Test
    void aDisabledInstanceNeverPenalisesAnyone() {
        LatencyFaultTolerance lft = new LatencyFaultTolerance(false, Clock.system());
        lft.record("broker-a", 0, true);
        lft.record("broker-b", 60_000, false);
        assertThat(lft.isAvailable("broker-a")).isTrue();
        assertThat(lft.isAvailable("broker-b")).isTrue();
    }
}
