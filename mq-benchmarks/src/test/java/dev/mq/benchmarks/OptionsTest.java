package dev.mq.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void theStandardSuiteRunsEveryBrokerModeAndSizeBatchedAsyncAt1KiBAndTheInFlightSweepOnTheRealBroker() {
        assertThat(Options.parse(new String[0]).scenarios()).extracting(Scenario::name).containsExactly(
                "null-sync-128", "null-sync-1024", "null-sync-16384",
                "null-async-128", "null-async-1024", "null-async-16384", "null-async-1024-batched",
                "null-oneway-128", "null-oneway-1024", "null-oneway-16384",
                "real-sync-128", "real-sync-1024", "real-sync-16384",
                "real-async-128", "real-async-1024", "real-async-16384", "real-async-1024-batched",
                "real-async-1024-inflight64", "real-async-1024-inflight256",
                "real-oneway-128", "real-oneway-1024", "real-oneway-16384");
    }

    @Test
    void filtersByNameOrWildcardAndParsesDurations() {
        Options o = Options.parse(new String[] {"--scenarios=real-async-1024,null-one*", "--duration=3s",
                "--warmup=500ms", "--inflight-sweep="});
        assertThat(o.scenarios()).extracting(Scenario::name)
                .containsExactly("null-oneway-128", "null-oneway-1024", "null-oneway-16384", "real-async-1024");
        assertThat(o.duration).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.warmup).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void batchedScenariosFollowTheirUnbatchedTwinsForAsyncOnly() {
        assertThat(Options.parse(new String[] {"--brokers=real", "--inflight-sweep=", "--batched-sizes=128,1024"})
                .scenarios()).extracting(Scenario::name).containsExactly("real-sync-128", "real-sync-1024",
                "real-sync-16384", "real-async-128", "real-async-1024", "real-async-16384", "real-async-128-batched",
                "real-async-1024-batched", "real-oneway-128", "real-oneway-1024", "real-oneway-16384");
        assertThat(Options.parse(new String[] {"--batched-sizes="}).scenarios()).extracting(Scenario::name)
                .noneMatch(name -> name.endsWith("-batched"));
        assertThat(new Scenario(Scenario.BrokerKind.REAL, dev.mq.benchmarks.harness.Mode.ASYNC, 1024, 64, true).name())
                .isEqualTo("real-async-1024-inflight64-batched");
    }

    @Test
    void rejectsUnknownOptions() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--speed=fast"})).hasMessageContaining("unknown option --speed");
    }
}
