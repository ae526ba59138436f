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

    @Test
    void theConsumeSuiteIsItsOwnAndItsScenariosAreSelectableByName() {
        assertThat(Options.parse(new String[0]).scenarios()).extracting(Scenario::name)
                .noneMatch(name -> name.contains("drain") || name.contains("e2e"));
        assertThat(Options.parse(new String[] {"--consume"}).scenarios()).extracting(Scenario::name)
                .containsExactly("real-drain-1024", "real-e2e-1024");
        assertThat(Options.parse(new String[] {"--consume=true", "--consume-bytes=128"}).scenarios())
                .extracting(Scenario::name).containsExactly("real-drain-128", "real-e2e-128");
        assertThat(Options.parse(new String[] {"--scenarios=real-drain-1024,real-sync-128"}).scenarios())
                .extracting(Scenario::name).containsExactly("real-sync-128", "real-drain-1024");
        assertThat(Options.parse(new String[] {"--consume", "--scenarios=*e2e*"}).scenarios())
                .extracting(Scenario::name).containsExactly("real-e2e-1024");
        assertThat(Options.parse(new String[] {"--consume", "--brokers=null"}).scenarios()).isEmpty();
        assertThat(Options.parse(new String[] {"--consume"}).scenarios()).allSatisfy(s -> assertThat(s.broker())
                .isEqualTo(Scenario.BrokerKind.REAL));
    }

    @Test
    void theBacklogScenarioRunsOnlyWhenNamed() {
        assertThat(Options.parse(new String[] {"--consume"}).scenarios()).extracting(Scenario::name)
                .noneMatch(name -> name.contains("backlog"));
        assertThat(Options.parse(new String[] {"--scenarios=real-*"}).scenarios()).extracting(Scenario::name)
                .contains("real-drain-1024").noneMatch(name -> name.contains("backlog"));
        assertThat(Options.parse(new String[] {"--consume", "--scenarios=real-backlog-*"}).scenarios())
                .extracting(Scenario::name).containsExactly("real-backlog-65536");
        Options o = Options.parse(new String[] {"--scenarios=real-backlog-16384", "--backlog-bytes=16384", "--backlog-mib=64",
                "--backlog-heap=128m", "--backlog-handler-ms=5", "--backlog-duration=10s"});
        assertThat(o.scenarios()).extracting(Scenario::name).containsExactly("real-backlog-16384");
        assertThat(o.backlogMib).isEqualTo(64);
        assertThat(o.backlogHeap).isEqualTo("128m");
        assertThat(o.backlogHandlerMillis).isEqualTo(5);
        assertThat(o.backlogDuration).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> Options.parse(new String[] {"--backlog-mib=0"})).hasMessageContaining("backlog-mib");
    }

    @Test
    void parsesAndChecksTheConsumeSettings() {
        Options o = Options.parse(new String[] {"--consume", "--drain-messages=600000", "--consume-rounds=3",
                "--e2e-rate=5000", "--e2e-warmup=2s", "--e2e-duration=20s"});
        assertThat(o.drainMessages).isEqualTo(600_000);
        assertThat(o.consumeRounds).isEqualTo(3);
        assertThat(o.e2eRate).isEqualTo(5_000);
        assertThat(o.e2eWarmup).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.e2eDuration).isEqualTo(Duration.ofSeconds(20));
        assertThatThrownBy(() -> Options.parse(new String[] {"--drain-messages=0"})).hasMessageContaining("drain-messages");
        assertThatThrownBy(() -> Options.parse(new String[] {"--e2e-rate=-1"})).hasMessageContaining("e2e-rate");
    }
}
