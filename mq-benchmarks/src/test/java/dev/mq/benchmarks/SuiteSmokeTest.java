package dev.mq.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the real harness end to end on one tiny scenario per broker kind — both clients, each in its
 * own JVM, against the null broker and against Apache RocketMQ — and checks only that it reports
 * complete, error-free results. No figure is asserted: speed is read from the full suite's output.
 */
class SuiteSmokeTest {

    @Test
    void reportsResultsAndRatiosForBothClientsOnBothBrokers() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Options options = Options.parse(new String[] {
                "--scenarios=null-async-128,real-sync-128", "--messages=200", "--warmup=0s", "--broker-warmup=0s",
                "--ceiling=false", "--inflight-sweep=", "--worker-heap=256m"});

        int failures = new SuiteRunner(options, out, System.err).run();

        String output = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        List<String> lines = output.lines().toList();
        assertThat(failures).as(output).isZero();
        for (String scenario : List.of("null-async-128", "real-sync-128")) {
            for (String client : List.of("ours", "official")) {
                assertThat(lines).as(output).anySatisfy(line -> assertThat(line)
                        .startsWith("RESULT scenario=" + scenario + " client=" + client + " msgs_per_s=")
                        .contains(" p50_us=", " p99_us=", " cpu_us_per_msg=", " alloc_bytes_per_msg=")
                        .endsWith(" errors=0"));
            }
            assertThat(lines).as(output).anySatisfy(line -> assertThat(line)
                    .startsWith("RATIO scenario=" + scenario + " msgs_per_s=").contains(" p99=", " cpu=", " alloc="));
        }
        assertThat(lines).as(output).filteredOn(line -> line.startsWith("STORED scenario=real-sync-128"))
                .hasSize(2).allSatisfy(line -> assertThat(line).endsWith(" missing=0"));
    }

    @Test
    void consumeScenariosReportEveryMessageOnceWithRatiosForBothConsumers() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Options options = Options.parse(new String[] {
                "--consume", "--drain-messages=3000", "--consume-rounds=1", "--e2e-rate=300", "--e2e-warmup=3s",
                "--e2e-duration=2s", "--warmup=0s", "--broker-warmup=0s", "--worker-heap=256m"});

        int failures = new SuiteRunner(options, out, System.err).run();

        String output = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        List<String> lines = output.lines().toList();
        assertThat(failures).as(output).isZero();
        for (String client : List.of("ours", "official")) {
            assertThat(lines).as(output).anySatisfy(line -> assertThat(line)
                    .isEqualTo("DELIVERY scenario=real-drain-1024 client=" + client
                            + " drains=1 expected=3000 unique=3000 duplicates=0 missing=0"));
            assertThat(lines).as(output).anySatisfy(line -> assertThat(line)
                    .startsWith("DELIVERY scenario=real-e2e-1024 client=" + client + " rounds=1 expected=")
                    .endsWith(" duplicates=0 missing=0"));
            for (String scenario : List.of("real-drain-1024", "real-e2e-1024")) {
                assertThat(lines).as(output).anySatisfy(line -> assertThat(line)
                        .startsWith("RESULT scenario=" + scenario + " client=" + client + " msgs_per_s=")
                        .endsWith(" errors=0"));
            }
        }
        // the e2e window saw messages with a latency; a drain has none
        assertThat(lines).as(output).anySatisfy(line -> assertThat(line)
                .startsWith("RATIO scenario=real-drain-1024 msgs_per_s=").contains(" p99=- cpu="));
        assertThat(lines).as(output).anySatisfy(line -> assertThat(line)
                .startsWith("RATIO scenario=real-e2e-1024 msgs_per_s=").doesNotContain("p99=-").doesNotContain("NaN"));
    }
}
