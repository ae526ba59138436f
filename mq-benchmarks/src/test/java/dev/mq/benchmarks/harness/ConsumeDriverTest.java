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
        public Cache cache() {
            return new Cache(0, 0, -1, -1, "none");
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

        ConsumeDriver.Drain drain = driver.awaitConsumed(1_000, 10_000, 10_000);
        handler.join();
        RunOutcome drained = drain.outcome();

        assertThat(drain.complete()).isTrue();
        assertThat(drain.failure()).isNull();
        assertThat(drained.messages()).isEqualTo(1_000);
        assertThat(drained.elapsedNanos()).isPositive();
        assertThat(drained.latencies().count()).as("no send times, no latencies").isZero();
        ConsumeDriver.Delivery delivery = driver.settle(1_000, 1_000, 0);
        assertThat(delivery).isEqualTo(new ConsumeDriver.Delivery(1_000, 1, 0));
    }

    @Test
    void givesUpWhenDeliveriesStallAndSaysTheDrainIsIncomplete() throws Exception {
        ScriptedConsumer consumer = new ScriptedConsumer();
        ConsumeDriver driver = new ConsumeDriver(consumer);
        driver.start("ns:9876", "g", "T");
        for (int i = 0; i < 10; i++) {
            consumer.sink.consumed(0, i, null);
        }
        long started = System.nanoTime();

        ConsumeDriver.Drain partial = driver.awaitConsumed(20, 10_000, 300);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(300L, 5_000L);
        assertThat(partial.complete()).isFalse();
        assertThat(partial.outcome().messages()).isEqualTo(10);
        assertThat(partial.failure()).startsWith("deliveries stalled for 300 ms at 10 of 20 messages");
        assertThat(driver.settle(20, 0, 0)).isEqualTo(new ConsumeDriver.Delivery(10, 0, 10));
    }

    /**
     * A consumer whose first message comes later than the stall bound but within the start bound is
     * measured from its start to its last message. Before the start bound, a consumer still finding
     * its queues counted as stalled: the drain reported 0 messages (msgs/s 0), and the consumer then
     * delivered everything before its close, so nothing was missing and the client's combined rate
     * was that of its other drains diluted by the give-up's time.
     */
    @Test
    void aLateFirstMessageIsNoStallAndTheDrainIsMeasuredFromTheStart() throws Exception {
        ScriptedConsumer consumer = new ScriptedConsumer();
        ConsumeDriver driver = new ConsumeDriver(consumer);
        driver.start("ns:9876", "g", "T");
        Thread handler = new Thread(() -> {
            try {
                Thread.sleep(600);
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < 100; i++) {
                consumer.sink.consumed(i % 4, i / 4, null);
            }
        });
        handler.start();

        ConsumeDriver.Drain drain = driver.awaitConsumed(100, 10_000, 200);
        handler.join();

        assertThat(drain.complete()).isTrue();
        assertThat(drain.failure()).isNull();
        assertThat(drain.outcome().messages()).isEqualTo(100);
        assertThat(drain.firstDeliveryMillis()).isBetween(600L, 5_000L);
        assertThat(drain.outcome().elapsedNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(600));
    }

    @Test
    void aConsumerThatDeliversNothingWithinTheStartBoundIsAnIncompleteDrainNotAZeroRate() throws Exception {
        ScriptedConsumer consumer = new ScriptedConsumer();
        ConsumeDriver driver = new ConsumeDriver(consumer);
        driver.start("ns:9876", "g", "T");

        ConsumeDriver.Drain drain = driver.awaitConsumed(500, 300, 100);

        assertThat(drain.complete()).isFalse();
        assertThat(drain.firstDeliveryMillis()).isEqualTo(-1);
        assertThat(drain.failure()).isEqualTo("no message within 300 ms of the consumer's start (0 of 500)");
    }

    @Test
    void aDrainCrossesTheWorkerLineUnchanged() throws Exception {
        ScriptedConsumer consumer = new ScriptedConsumer();
        ConsumeDriver driver = new ConsumeDriver(consumer);
        driver.start("ns:9876", "g", "T");
        for (int i = 0; i < 5; i++) {
            consumer.sink.consumed(1, i, null);
        }

        ConsumeDriver.Drain sent = driver.awaitConsumed(6, 1_000, 100);
        ConsumeDriver.Drain read = ConsumeDriver.Drain.fromLine(sent.toLine());

        assertThat(read.complete()).isFalse();
        assertThat(read.expected()).isEqualTo(6);
        assertThat(read.firstDeliveryMillis()).isEqualTo(sent.firstDeliveryMillis()).isGreaterThanOrEqualTo(0);
        assertThat(read.outcome().messages()).isEqualTo(5);
        assertThat(read.failure()).isEqualTo(sent.failure()).contains("at 5 of 6 messages");
    }

    @Test
    void aCompleteDrainWhoseFiguresCountOtherThanExpectedIsNoMeasurement() {
        RunOutcome fewer = new RunOutcome(400, 1_000_000, 0, 0, 0, 500, 500, null, new LatencyHistogram());

        ConsumeDriver.Drain drain = new ConsumeDriver.Drain(fewer, 500, true, 10, 1_000, 1_000);

        assertThat(drain.failure()).isEqualTo("400 messages measured of 500");
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
