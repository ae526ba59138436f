package dev.mq.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

    @Test
    void countsEachQueueOffsetOnceAndEveryRepeatAsADuplicate() {
        DeliveryLedger ledger = new DeliveryLedger();

        assertThat(ledger.record(0, 0)).isEqualTo(1);
        assertThat(ledger.record(1, 0)).as("same offset, other queue").isEqualTo(2);
        assertThat(ledger.record(0, 65_536)).as("first offset of the second chunk").isEqualTo(3);
        assertThat(ledger.record(0, 65_535)).as("last offset of the first chunk").isEqualTo(4);
        assertThat(ledger.record(0, 0)).isEqualTo(-1);
        assertThat(ledger.record(0, 65_536)).isEqualTo(-1);

        assertThat(ledger.unique()).isEqualTo(4);
        assertThat(ledger.deliveries()).isEqualTo(6);
        assertThat(ledger.duplicates()).isEqualTo(2);
    }

    @Test
    void threadsRacingOverTheSameOffsetsCountEachOnce() throws Exception {
        DeliveryLedger ledger = new DeliveryLedger();
        int threads = 4;
        int queues = 8;
        int perQueue = 20_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicLong firsts = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int offset = 0; offset < perQueue; offset++) {
                    for (int q = 0; q < queues; q++) {
                        if (ledger.record(q, offset) > 0) {
                            firsts.incrementAndGet();
                        }
                    }
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }

        assertThat(ledger.unique()).isEqualTo((long) queues * perQueue).isEqualTo(firsts.get());
        assertThat(ledger.duplicates()).isEqualTo((long) (threads - 1) * queues * perQueue);
    }

    @Test
    void refusesWhatItCannotHold() {
        DeliveryLedger ledger = new DeliveryLedger();
        assertThatThrownBy(() -> ledger.record(DeliveryLedger.MAX_QUEUES, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.record(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
