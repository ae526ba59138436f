package dev.mq.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class MessageCollectorTest {

    @Test
    void awaitReturnsOnceEnoughArrivedFromOtherThreads() throws InterruptedException {
        MessageCollector<String> collector = new MessageCollector<>();
        CountDownLatch go = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < 3; i++) {
                collector.add("m" + i);
            }
        });
        producer.start();
        go.countDown();
        assertThat(collector.await(3, Duration.ofSeconds(10))).containsExactly("m0", "m1", "m2");
        producer.join();
    }

    @Test
    void awaitFailsAfterTheTimeoutNamingWhatArrived() {
        MessageCollector<String> collector = new MessageCollector<>();
        collector.add("only");
        long start = System.nanoTime();
        assertThatThrownBy(() -> collector.await(2, Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("at least 2").hasMessageContaining("[only]");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        collector.clear();
        assertThat(collector.count()).isZero();
    }
}
