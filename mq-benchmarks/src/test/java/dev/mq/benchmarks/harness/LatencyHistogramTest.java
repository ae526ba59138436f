package dev.mq.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void everyValueFallsInsideItsBucketAndBucketsAreContiguous() {
        long[] samples = {0, 1, 127, 128, 129, 255, 256, 1_000, 65_535, 1_000_000, 123_456_789_012L, Long.MAX_VALUE};
        for (long v : samples) {
            int i = LatencyHistogram.index(v);
            assertThat(LatencyHistogram.lowerBound(i)).as("lower bound of %d", v).isLessThanOrEqualTo(v);
            if (v != Long.MAX_VALUE) {
                assertThat(LatencyHistogram.lowerBound(i + 1)).as("next bucket above %d", v).isGreaterThan(v);
            }
        }
        for (int i = 1; i < LatencyHistogram.index(Long.MAX_VALUE); i++) {
            assertThat(LatencyHistogram.index(LatencyHistogram.lowerBound(i))).isEqualTo(i);
            assertThat(LatencyHistogram.index(LatencyHistogram.lowerBound(i) - 1)).isEqualTo(i - 1);
        }
    }

    @Test
    void quantilesAreWithinOnePercentOfTheTruth() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100_000; i++) {
            h.record(i * 10L); // 10 ns .. 1 ms, uniform
        }
        assertThat(h.count()).isEqualTo(100_000);
        assertThat((double) h.quantile(0.50)).isCloseTo(500_000, within(5_000.0));
        assertThat((double) h.quantile(0.99)).isCloseTo(990_000, within(9_900.0));
        assertThat(h.quantile(1.0)).isBetween(990_000L, 1_010_000L);
    }

    @Test
    void emptyAndResetHistogramsReportZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.quantile(0.99)).isZero();
        h.record(5_000);
        h.reset();
        assertThat(h.count()).isZero();
        assertThat(h.quantile(0.5)).isZero();
    }
}
