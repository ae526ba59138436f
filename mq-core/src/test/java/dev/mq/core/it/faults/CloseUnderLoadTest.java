package dev.mq.core.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MQException.Reason;
import dev.mq.core.Message;
import dev.mq.core.client.ClientState;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.it.faults.TimedSends.Outcome;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} while several threads keep sending to a slow broker (a {@link FaultProxy} delays every
 * answer), which hangs altogether just as {@code close()} is called, so the drain cannot finish.
 * Promise: every future completes — a result for what was answered, CONNECTION for what was still in
 * flight when the client gave up, SHUTDOWN for sends that came too late — close() returns within its
 * bounds, and the client leaves no {@code mq-*} thread behind.
 */
@FaultInjectionCluster
class CloseUnderLoadTest {

    private static final String TOPIC = "FaultClose";
    private static final int THREADS = 4;
    private static final Duration ANSWER_DELAY = Duration.ofMillis(200);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofMillis(300);
    /** How long close() waits for UNREGISTER_CLIENT answers (fixed in MQClientInstance). */
    private static final Duration UNREGISTER_WAIT = Duration.ofSeconds(3);
    /** Longer than close() can take, so that what is cut off is cut off by close(), not by its deadline. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void closeDuringLoadCompletesEveryFutureAndLeavesNoThread(EmbeddedRocketMQ mq) throws Exception {
        mq.createTopic(TOPIC, 4);
        Set<Thread> threadsBefore = mqThreads();
        try (FaultProxy proxy = FaultProxy.start(mq.brokerAddress(0));
             ProxiedNameServer nameServer = new ProxiedNameServer()
                     .route(TOPIC, mq.brokerName(0), proxy.address(), 4)) {
            MQClientInstance client = MQClientInstance.builder().nameServer(nameServer.address()).build();
            client.start();
            Producer producer = client.newProducer(ProducerConfig.builder().group("fault-close")
                    .shutdownTimeout(SHUTDOWN_TIMEOUT).build());
            assertThat(producer.send(Message.builder(TOPIC).body("warm-up").build()).isOk()).isTrue();
            int threadsWhileRunning = mqThreads().size();
            proxy.latency(Duration.ZERO, ANSWER_DELAY);

            TimedSends sends = new TimedSends();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread sender = new Thread(() -> {
                    // Keep sending until the producer says it is shut down, or at most 20,000 sends.
                    for (int i = 0; i < 20_000 && !stop.get(); i++) {
                        Outcome o = sends.send(producer, Message.builder(TOPIC).body("t" + thread + "-" + i).build(),
                                SEND_TIMEOUT).getNow(null);
                        if (o != null && o.reason() == Reason.SHUTDOWN) {
                            return;
                        }
                        if (i % 64 == 63) {
                            LockSupport.parkNanos(1_000_000); // a steady stream, not one burst
                        }
                    }
                }, "close-load-" + t);
                senders.add(sender);
                sender.start();
            }
            long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // Close once answers are flowing and plenty is on the wire.
            while ((sends.succeeded() < 500 || producer.inFlightRequests() < 200) && System.nanoTime() < bound) {
                LockSupport.parkNanos(1_000_000);
            }
            int inFlightAtClose = producer.inFlightRequests();
            int issuedAtClose = sends.issued();

            proxy.stall(); // nothing in flight will be answered now: the drain times out
            long closeStart = System.nanoTime();
            client.close();
            long closeMillis = (System.nanoTime() - closeStart) / 1_000_000;
            long closedAt = System.nanoTime();

            for (Thread sender : senders) {
                sender.join(10_000);
            }
            stop.set(true);
            List<Outcome> outcomes = sends.awaitAll(Duration.ofSeconds(2));
            long lastDone = outcomes.stream().mapToLong(Outcome::doneNanos).max().orElseThrow();
            Map<Reason, Integer> reasons = TimedSends.reasons(outcomes);
            long ok = outcomes.stream().filter(Outcome::ok).count();

            Set<Thread> leftover = awaitNoNewMqThreads(threadsBefore, Duration.ofSeconds(5));
            Reliability.print("close-under-load", "load %s; %d sender threads, answers delayed %d ms, shutdown timeout "
                            + "%d ms, broker hung at close(): close() with %d in flight after %d issued took %d ms; %d "
                            + "futures: %d SEND_OK, %s; last completed %d ms after close() returned; mq-* threads: %d "
                            + "before the client, %d while it ran, %d left after close",
                    Reliability.uptime(), THREADS, ANSWER_DELAY.toMillis(), SHUTDOWN_TIMEOUT.toMillis(),
                    inFlightAtClose, issuedAtClose, closeMillis, outcomes.size(), ok, reasons,
                    Math.max(0, (lastDone - closedAt) / 1_000_000), threadsBefore.size(), threadsWhileRunning,
                    leftover.size());

            assertThat(client.state()).isEqualTo(ClientState.SHUTDOWN);
            assertThat(senders).noneMatch(Thread::isAlive);
            assertThat(inFlightAtClose).isGreaterThanOrEqualTo(200);
            assertThat(outcomes).hasSize(sends.issued());
            assertThat(outcomes).allSatisfy(o -> assertThat(o.ok() || o.reason() == Reason.SHUTDOWN
                    || o.reason() == Reason.CONNECTION).as(String.valueOf(o.error())).isTrue());
            // Sends answered before the hang succeed; what was in flight when the client gave up fails with
            // CONNECTION; what came after close() is refused as SHUTDOWN.
            assertThat(ok).isPositive();
            assertThat(reasons.getOrDefault(Reason.CONNECTION, 0)).isGreaterThanOrEqualTo(inFlightAtClose / 2);
            assertThat(reasons).containsKey(Reason.SHUTDOWN);
            // Bounded: the drain's shutdown timeout, then the wait for UNREGISTER_CLIENT answers.
            assertThat(closeMillis).isBetween(SHUTDOWN_TIMEOUT.toMillis(),
                    SHUTDOWN_TIMEOUT.plus(UNREGISTER_WAIT).toMillis() + 1_000);
            assertThat(leftover).extracting(Thread::getName).isEmpty();
        }
    }

    private static Set<Thread> mqThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("mq-"))
                .collect(Collectors.toSet());
    }

    /** Threads named {@code mq-*} that were not there before, once they are gone or {@code bound} passed. */
    private static Set<Thread> awaitNoNewMqThreads(Set<Thread> before, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Set<Thread> extra = mqThreads();
            extra.removeAll(before);
            if (extra.isEmpty() || System.nanoTime() > deadline) {
                return extra;
            }
            LockSupport.parkNanos(10_000_000);
        }
    }
}
