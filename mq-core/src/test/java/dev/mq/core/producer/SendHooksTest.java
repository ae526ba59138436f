package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.failure;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.SendResult;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.metrics.MicrometerSendHook;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Hooks and threads: once per attempt, never on an I/O thread, metrics tags, and user code that throws. */
class SendHooksTest extends FakeClusterTestBase {

    @Test
    void hooksFireOncePerAttemptWithNumberedAttemptsAndOneFinal() throws Exception {
        FakeBroker a = broker("broker-a", request -> 14);
        FakeBroker b = broker("broker-b", request -> 14);
        FakeServer ns = nameServer(topic -> route(2, a, b), 0);
        RecordingHook hook = new RecordingHook();
        Producer producer = producer(client(ns.address()), c -> c.hook(hook));

        assertThatThrownBy(() -> producer.send(message("Hooked", "x")))
                .isInstanceOfSatisfying(MQException.class, e -> assertThat(e.responseCode()).isEqualTo(14));

        assertThat(hook.events).containsExactly("before 1", "after 1", "before 2", "after 2", "before 3", "after 3");
        assertThat(hook.before).extracting(SendContext::attempt).containsExactly(1, 2, 3);
        assertThat(hook.after).extracting(SendContext::attempt).containsExactly(1, 2, 3);
        assertThat(hook.after).extracting(SendContext::isFinalAttempt).containsExactly(false, false, true);
        assertThat(hook.before).extracting(SendContext::isFinalAttempt).containsOnly(false);
        assertThat(hook.before).allSatisfy(c -> {
            assertThat(c.result()).isNull();
            assertThat(c.error()).isNull();
            assertThat(c.queue()).isNotNull();
            assertThat(c.topic()).isEqualTo("Hooked");
            assertThat(c.producerGroup()).isEqualTo(GROUP);
        });
        assertThat(hook.after).allSatisfy(c -> {
            assertThat(c.result()).isNull();
            assertThat(c.error()).isInstanceOf(MQException.class);
        });
        assertThat(hook.after.get(1).brokerName()).isNotEqualTo(hook.after.get(0).brokerName());
        assertThat(a.sends().size() + b.sends().size()).isEqualTo(3);
        assertThat(hook.threads).noneMatch(t -> t.startsWith(IO_THREAD_PREFIX));
    }

    @Test
    void successfulAsyncSendFiresOneBeforeAndOneFinalAfterWithTheResult() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        RecordingHook hook = new RecordingHook();
        Producer producer = producer(client(ns.address()), c -> c.hook(hook));

        SendResult result = producer.sendAsync(message("HookedOk", "x")).get(5, TimeUnit.SECONDS);

        assertThat(hook.events).containsExactly("before 1", "after 1");
        SendContext after = hook.after.get(0);
        assertThat(after.isFinalAttempt()).isTrue();
        assertThat(after.result()).isEqualTo(result);
        assertThat(after.error()).isNull();
        assertThat(after.mode()).isEqualTo(SendMode.ASYNC);
        assertThat(after.messageCount()).isEqualTo(1);
        assertThat(after.messageBytes()).isEqualTo(1);
        assertThat(after.brokerAddress()).isEqualTo(broker.server.address());
        assertThat(hook.threads).noneMatch(t -> t.startsWith(IO_THREAD_PREFIX));
    }

    @Test
    void noRouteFailureFiresExactlyOneBeforeAndOneAfterWithoutAQueue() throws Exception {
        FakeServer ns = nameServer(topic -> null, 0);
        RecordingHook hook = new RecordingHook();
        Producer producer = producer(client(ns.address()), c -> c.hook(hook));

        assertThat(failure(producer.sendAsync(message("NoRouteHooked", "x"))).reason())
                .isEqualTo(MQException.Reason.NO_ROUTE);

        assertThat(hook.events).containsExactly("before 1", "after 1");
        assertThat(hook.before.get(0).queue()).isNull();
        assertThat(hook.after.get(0).queue()).isNull();
        assertThat(hook.after.get(0).isFinalAttempt()).isTrue();
        assertThat(hook.after.get(0).error()).isInstanceOfSatisfying(MQException.class,
                e -> assertThat(e.reason()).isEqualTo(MQException.Reason.NO_ROUTE));
        assertThat(hook.threads).noneMatch(t -> t.startsWith(IO_THREAD_PREFIX));
    }

    @Test
    void theSendTimerTagsTheReasonOfEachOutcome() throws Exception {
        FakeBroker broker = broker("broker-a", r -> bodyOf(r).equals("illegal") ? 13 : 0);
        FakeServer ns = nameServer(topic -> topic.equals("Nowhere") || topic.equals("TBW102") ? null
                : route(4, broker), 0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Producer producer = producer(client(ns.address()), c -> c.hook(new MicrometerSendHook(registry)));

        assertThat(producer.send(message("Tagged", "fine")).isOk()).isTrue();
        assertThat(failure(producer.sendAsync(message("Tagged", "illegal"))).reason())
                .isEqualTo(MQException.Reason.BROKER_REJECTED);
        assertThat(failure(producer.sendAsync(message("Nowhere", "x"))).reason()).isEqualTo(MQException.Reason.NO_ROUTE);

        waitUntil(() -> registry.find(MicrometerSendHook.SEND).timers().stream().mapToLong(Timer::count).sum() == 3);
        assertThat(registry.get(MicrometerSendHook.SEND).tag("topic", "Tagged").tag("result", "success")
                .tag("reason", "none").tag("exception", "none").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerSendHook.SEND).tag("topic", "Tagged").tag("result", "failure")
                .tag("reason", "BROKER_REJECTED").tag("exception", "MQException").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerSendHook.SEND).tag("topic", "Nowhere").tag("reason", "NO_ROUTE").timer()
                .count()).isEqualTo(1);
    }

    @Test
    void asyncCompletionsNeverRunOnIoThreads() throws Exception {
        AtomicLong count = new AtomicLong();
        FakeBroker broker = broker("broker-a", request -> count.incrementAndGet() % 5 == 0 ? 13 : 0);
        FakeServer ns = nameServer(topic -> route(4, broker), 100);
        Producer producer = producer(client(ns.address()), b -> b.retries(0));

        List<CompletableFuture<String>> threads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            threads.add(producer.sendAsync(message("Completions", "m-" + i))
                    .handle((result, error) -> Thread.currentThread().getName()));
        }
        Set<String> names = new HashSet<>();
        for (CompletableFuture<String> f : threads) {
            names.add(f.get(5, TimeUnit.SECONDS));
        }
        assertThat(names).noneMatch(t -> t.startsWith(IO_THREAD_PREFIX));
        // The check means something: completions did run off the caller's thread.
        assertThat(names).anyMatch(t -> !t.equals(Thread.currentThread().getName()));
    }

    @Test
    void aQueueSelectorThrowingAnErrorFailsThatSendAndTheProducerKeepsWorking() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b);
        QueueSelector buggy = (queues, message, arg) -> {
            if ("assert".equals(arg)) {
                throw new AssertionError("selector bug");
            }
            if ("oom".equals(arg)) {
                throw new OutOfMemoryError("selector out of memory");
            }
            return QueueSelectors.hash().select(queues, message, arg);
        };

        // Before the route is known the selector runs where the route lookup resumes the send.
        MQException first = failure(producer.sendAsync(message("Erring", "x"), buggy, "assert"));
        assertThat(first.reason()).isEqualTo(MQException.Reason.VALIDATION);
        assertThat(first.getMessage()).contains("selector bug");
        // With the route cached it runs on the caller's thread.
        assertThat(failure(producer.sendAsync(message("Erring", "y"), buggy, "oom")).reason())
                .isEqualTo(MQException.Reason.VALIDATION);
        assertThatThrownBy(() -> producer.send(message("Erring", "z"), buggy, "assert"))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        producer.sendOneway(message("Erring", "w"), buggy, "oom");

        waitUntil(() -> producer.inFlightRequests() == 0);
        assertThat(producer.send(message("Erring", "ordered"), buggy, "key").isOk()).isTrue();
        assertThat(producer.sendAsync(message("Erring", "ordered-async"), buggy, "key").get(5, TimeUnit.SECONDS)
                .isOk()).isTrue();
        assertThat(producer.send(message("Erring", "plain")).isOk()).isTrue();
        assertThat(broker.sends()).extracting(FakeClusterTestBase::bodyOf)
                .containsExactly("ordered", "ordered-async", "plain");
        assertThat(producer.inFlightRequests()).isZero();
    }

    @Test
    void aHookThrowingAnErrorNeitherFailsTheSendNorWedgesItsOrderlyQueue() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        SendHook throwing = new SendHook() {
            @Override
            public void beforeSend(SendContext context) {
                throw new AssertionError("hook bug before");
            }

            @Override
            public void afterSend(SendContext context) {
                throw new AssertionError("hook bug after");
            }
        };
        Producer producer = producer(client(ns.address()), b -> b.hook(throwing));
        assertThat(producer.send(message("HookErr", "warm")).isOk()).isTrue();
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;

        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        futures.add(producer.sendAsync(message("HookErr", "A"), QueueSelectors.hash(), "k"));
        waitUntil(() -> broker.sends().size() == 2);
        futures.add(producer.sendAsync(message("HookErr", "B"), QueueSelectors.hash(), "k"));
        futures.add(producer.sendAsync(message("HookErr", "C"), QueueSelectors.hash(), "k"));
        hold.complete(null);
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(f.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        }
        assertThat(producer.send(message("HookErr", "D"), QueueSelectors.hash(), "k").isOk()).isTrue();
        assertThat(broker.sends()).extracting(FakeClusterTestBase::bodyOf).containsExactly("warm", "A", "B", "C", "D");
        waitUntil(() -> producer.inFlightRequests() == 0);
    }
}
