package dev.mq.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class SendDriverTest {

    /** Acknowledges every send at once and keeps the send times it was given. */
    static final class InstantClient implements BenchClient {
        final ConcurrentLinkedQueue<Long> stamps = new ConcurrentLinkedQueue<>();
        volatile int unstamped;

        @Override
        public void start(String nameServer, String group, boolean autoBatching) {
        }

        @Override
        public void sendSync(String topic, byte[] body) {
            unstamped++;
        }

        @Override
        public void sendAsync(String topic, byte[] body, long startNanos, Completion done) {
            unstamped++;
            done.completed(startNanos, null);
        }

        @Override
        public void sendAsyncStamped(String topic, byte[] body, long sentAtMicros, long startNanos, Completion done) {
            stamps.add(sentAtMicros);
            done.completed(startNanos, null);
        }

        @Override
        public void sendOneway(String topic, byte[] body) {
            unstamped++;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aRateKeepsSendsToItAndStampsEachWithItsSendTime() throws Exception {
        InstantClient client = new InstantClient();
        long before = MessageSpec.nowMicros();
        RunSpec spec = new RunSpec("paced", Mode.ASYNC, "T", 16, 1, 64, 0, 500_000_000L, 0, 400);

        RunOutcome outcome = new SendDriver(client, spec).run();

        // 400/s over 0.5 s: 200 sends, the first at the phase's start; unpaced it would be millions
        assertThat(outcome.messages()).isBetween(170L, 202L);
        assertThat(client.unstamped).isZero();
        assertThat(client.stamps).hasSize((int) outcome.totalOk());
        long first = client.stamps.stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = client.stamps.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(first).isGreaterThanOrEqualTo(before);
        assertThat(last - first).as("spread over the phase").isBetween(400_000L, 600_000L);
    }

    @Test
    void aSpecWithARateSurvivesTheCommandLine() {
        RunSpec spec = new RunSpec("real-e2e-1024-producer", Mode.ASYNC, "T", 1024, 1, 1024, 5, 10, 0, 2_000);
        assertThat(RunSpec.fromLine(spec.toLine())).isEqualTo(spec);
        RunSpec unpaced = new RunSpec("real-async-1024", Mode.ASYNC, "T", 1024, 4, 1024, 5, 10, 0);
        assertThat(RunSpec.fromLine(unpaced.toLine())).isEqualTo(unpaced);
    }
}
