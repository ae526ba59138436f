package dev.mq.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConsumeDriverTest {

    /** A consumer whose messages the test hands over itself. */
    static final class ScriptedConsumer implements BenchConsumer {
        volatile Sink sink;
        volatile String topic;
        volatile boolean closed;

        @Override
        public void start(String nameServer, String group, String topic, Sink sink) {
            this.topic = topic;
            this.sink = sink;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aDrainEndsWhenTheLastDistinctMessageArrivesAndDuplicatesAreCountedApart() throws Exception {
        ScriptedConsumer consumer = new ScriptedConsumer();
        ConsumeDriver driver = new ConsumeDriver(consumer);
        driver.start("ns:9876", "g", "T");
        assertThat(consumer.topic).isEqualTo("T");
        Thread handler = new Thread(() -> {
            for (int i = 0; i < 1_000; i++) {
                consumer.sink.consumed(i % 4, i / 4, null);
            }
            consumer.sink.consumed(0, 0, null); // a duplicate
        });
        handler.start();

        RunOutcome drained = driver.awaitConsumed(1_000, 10_000);
        handler.join();

        assertThat(drained.messages()).isEqualTo(1_000);
        assertThat(drained.elapsedNanos()).isPositive();
        assertThat(drained.latencies().count()).as("no send times, no latencies").isZero();
        ConsumeDriver.Delivery delivery = driver.settle(1_000, 1_000, 0);
        assertThat(delivery).isEqualTo(new ConsumeDriver.Delivery(1_000, 1, 0));
    }

    @Test
    void givesUpWhenDeliveriesStallAndReportsTheMissing() throws Exception {
        ScriptedConsumer consumer = new ScriptedConsumer();
        ConsumeDriver driver = new ConsumeDriver(consumer);
        driver.start("ns:9876", "g", "T");
        for (int i = 0; i < 10; i++) {
            consumer.sink.consumed(0, i, null);
        }
        long started = System.nanoTime();

        RunOutcome partial = driver.awaitConsumed(20, 300);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(300L, 5_000L);
        assertThat(partial.messages()).isEqualTo(10);
        assertThat(driver.settle(20, 0, 0)).isEqualTo(new ConsumeDriver.Delivery(10, 0, 10));
    }

    @Test
    void theLatencyIsHandlerTimeMinusSendTimeForMessagesAfterTheMark() throws Exception {
        ScriptedConsumer consumer = new ScriptedConsumer();
        ConsumeDriver driver = new ConsumeDriver(consumer);
        driver.start("ns:9876", "g", "T");
        consumer.sink.consumed(0, 0, Long.toString(MessageSpec.nowMicros() - 60_000_000)); // before the mark: not reported
        driver.mark();
        consumer.sink.consumed(0, 1, Long.toString(MessageSpec.nowMicros() - 20_000)); // sent 20 ms ago
        consumer.sink.consumed(0, 1, Long.toString(MessageSpec.nowMicros() - 90_000_000)); // a duplicate: not reported

        RunOutcome window = driver.read();

        assertThat(window.messages()).isEqualTo(1);
        assertThat(window.latencies().count()).isEqualTo(1);
        assertThat(window.p99Nanos()).isBetween(19_000_000L, 2_000_000_000L);
        assertThat(window.totalOk()).isEqualTo(2);
        assertThat(window.totalAttempted()).isEqualTo(3);
    }
}
