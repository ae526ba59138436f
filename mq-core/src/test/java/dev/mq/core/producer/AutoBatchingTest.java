package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.failure;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.protocol.BatchBody;
import dev.mq.core.internal.protocol.BatchBodyReader;
import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.send.DefaultProducer;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.metrics.MicrometerSendHook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Auto-batching observed on the wire of fake brokers. */
class AutoBatchingTest {

    private static final String GROUP = "pg-auto-batch";
    private static final String TOPIC = "Batched";

    private final FakeCluster cluster = new FakeCluster();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    // ------------------------------------------------------------------ what is coalesced

    @Test
    void sendsWaitingBehindABusyQueueLeaveAsOneBatchAndEachCallerGetsItsOwnResult() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        Producer producer = producer(oneQueue(broker), b -> b.autoBatching(AutoBatching.whenBusy()));
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;

        CompletableFuture<SendResult> first = producer.sendAsync(message("first"));
        waitUntil(() -> broker.sends().size() == 1);
        List<CompletableFuture<SendResult>> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add(producer.sendAsync(message("m-" + i)));
        }
        assertThat(broker.sends()).as("nothing more leaves while the queue's request is in flight").hasSize(1);
        hold.complete(null);

        SendResult firstResult = first.get(5, TimeUnit.SECONDS);
        List<SendResult> results = new ArrayList<>();
        for (CompletableFuture<SendResult> f : waiting) {
            results.add(f.get(5, TimeUnit.SECONDS));
        }
        assertThat(broker.sends()).extracting(RemotingCommand::code)
                .containsExactly(RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE);
        RemotingCommand batch = broker.sends().get(1);
        assertThat(batch.field("m")).isEqualTo("true");
        assertThat(batch.field("i")).as("batch-level properties: WAIT only").isEqualTo(MessageProperties.WAIT
                + MessageProperties.NAME_VALUE_SEPARATOR + "true" + MessageProperties.PROPERTY_SEPARATOR);
        List<BatchBody.Record> records = BatchBodyReader.read(Unpooled.wrappedBuffer(batch.body()));
        assertThat(records).hasSize(20);

        assertThat(firstResult.queueOffset()).isZero();
        for (int i = 0; i < 20; i++) {
            SendResult r = results.get(i);
            BatchBody.Record record = records.get(i);
            assertThat(r.status()).isEqualTo(SendStatus.SEND_OK);
            assertThat(r.messageIds()).hasSize(1);
            assertThat(new String(record.body(), StandardCharsets.UTF_8)).as("records in call order").isEqualTo("m-" + i);
            assertThat(MessageProperties.decode(record.properties()).get(MessageProperties.UNIQ_KEY))
                    .as("each record carries its caller's id").isEqualTo(r.messageId());
            assertThat(r.queueOffset()).as("first offset + index").isEqualTo(1 + i);
            assertThat(r.offsetMessageId()).isEqualTo("broker-a-OFFSET-" + (1 + i));
            assertThat(r.queue()).isEqualTo(firstResult.queue());
        }
        assertThat(results).extracting(SendResult::messageId).doesNotHaveDuplicates();
        assertThat(producer.stats().autoBatches()).isEqualTo(1);
    }

    @Test
    void onewaySendsWaitingBehindABusyQueueJoinTheBatchOfTheAsyncSendsInCallOrder() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        Producer producer = producer(oneQueue(broker), b -> b.autoBatching(AutoBatching.whenBusy()));
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;

        CompletableFuture<SendResult> first = producer.sendAsync(message("first"));
        waitUntil(() -> broker.sends().size() == 1);
        producer.sendOneway(message("oneway-1"));
        CompletableFuture<SendResult> async = producer.sendAsync(message("async"));
        producer.sendOneway(message("oneway-2"));
        assertThat(broker.sends()).as("the oneway sends wait for the queue like the async one").hasSize(1);
        assertThat(producer.inFlightRequests()).isEqualTo(4);
        hold.complete(null);

        assertThat(first.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(async.get(5, TimeUnit.SECONDS).queueOffset()).isEqualTo(2);
        waitUntil(() -> producer.inFlightRequests() == 0);
        assertThat(broker.sends()).extracting(RemotingCommand::code)
                .containsExactly(RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE);
        assertThat(BatchBodyReader.read(Unpooled.wrappedBuffer(broker.sends().get(1).body())))
                .extracting(r -> new String(r.body(), StandardCharsets.UTF_8))
                .containsExactly("oneway-1", "async", "oneway-2");
        assertThat(producer.stats().autoBatches()).isEqualTo(1);
    }

    @Test
    void aSendToAnIdleQueueLeavesAtOnceAlone() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        Producer producer = producer(oneQueue(broker), b -> b.autoBatching(AutoBatching.whenBusy()));

        for (int i = 0; i < 5; i++) {
            assertThat(producer.sendAsync(message("one-by-one-" + i)).get(5, TimeUnit.SECONDS).isOk()).isTrue();
        }
        assertThat(broker.sends()).hasSize(5).extracting(RemotingCommand::code).containsOnly(RequestCode.SEND_MESSAGE_V2);
        assertThat(broker.sends()).extracting(c -> c.field("m")).containsOnly("false");
    }

    @Test
    void batchesRespectTheMessageAndByteCaps() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        int recordSize = BatchBody.recordSize(100, propertiesLength());
        AutoBatching caps = AutoBatching.whenBusy().maxMessages(4).maxBytes(3 * recordSize + 10);
        Producer producer = producer(oneQueue(broker), b -> b.autoBatching(caps));
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;

        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        futures.add(producer.sendAsync(body100(0)));
        waitUntil(() -> broker.sends().size() == 1);
        for (int i = 1; i <= 10; i++) {
            futures.add(producer.sendAsync(body100(i)));
        }
        hold.complete(null);
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(f.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        }
        List<Integer> sizes = broker.sends().stream().map(AutoBatchingTest::messagesIn).toList();
        assertThat(sizes).as("the byte cap (3 records) binds before the message cap (4)").containsExactly(1, 3, 3, 3, 1);
        for (RemotingCommand send : broker.sends()) {
            if (send.code() == RequestCode.SEND_BATCH_MESSAGE) {
                assertThat(send.body().length).isLessThanOrEqualTo(caps.maxBytes());
            }
        }
    }

    @Test
    void theMessageCapBindsWhenMessagesAreSmall() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        Producer producer = producer(oneQueue(broker), b -> b.autoBatching(AutoBatching.whenBusy().maxMessages(4)));
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;

        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        futures.add(producer.sendAsync(message("x")));
        waitUntil(() -> broker.sends().size() == 1);
        for (int i = 0; i < 9; i++) {
            futures.add(producer.sendAsync(message("y" + i)));
        }
        hold.complete(null);
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(f.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        }
        assertThat(broker.sends().stream().map(AutoBatchingTest::messagesIn).toList()).containsExactly(1, 4, 4, 1);
    }

    @Test
    void sendsABatchCannotCarryTravelAloneAndDoNotWaitForTheBusyQueue() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        Producer producer = producer(oneQueue(broker), b -> b.autoBatching(AutoBatching.whenBusy()));
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;

        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        futures.add(producer.sendAsync(message("occupies the queue")));
        waitUntil(() -> broker.sends().size() == 1);
        futures.add(producer.sendAsync(Message.builder(TOPIC).body("delayed").delayLevel(2).build()));
        futures.add(producer.sendAsync(Message.builder(TOPIC).body(new byte[8192]).build())); // compressed
        futures.add(producer.sendAsync(message("orderly"), QueueSelectors.hash(), "key"));
        futures.add(producer.sendAsync(List.of(message("explicit-1"), message("explicit-2"))));
        Thread syncSender = new Thread(() -> producer.send(message("sync")));
        syncSender.start();

        waitUntil(() -> broker.sends().size() == 6);
        assertThat(broker.sends()).as("none of them waited, none was merged")
                .extracting(c -> c.code() == RequestCode.SEND_BATCH_MESSAGE ? messagesIn(c) : 1)
                .containsExactlyInAnyOrder(1, 1, 1, 1, 2, 1);
        hold.complete(null);
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(f.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        }
        syncSender.join(5_000);
    }

    @Test
    void orderlySendsParkedBehindTheirQueueLeaveAsOneBatchInCallOrderUntilASendThatCannotJoin() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        Producer producer = producer(client(cluster.nameServer(topic -> route(4, broker), 0).address()),
                b -> b.autoBatching(AutoBatching.whenBusy()));
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;

        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        futures.add(producer.sendAsync(message("o-0"), QueueSelectors.hash(), "order-7"));
        waitUntil(() -> broker.sends().size() == 1);
        for (int i = 1; i <= 5; i++) {
            futures.add(producer.sendAsync(message("o-" + i), QueueSelectors.hash(), "order-7"));
        }
        futures.add(producer.sendAsync(Message.builder(TOPIC).body("o-6").delayLevel(1).build(),
                QueueSelectors.hash(), "order-7")); // cannot join a batch
        for (int i = 7; i <= 8; i++) {
            futures.add(producer.sendAsync(message("o-" + i), QueueSelectors.hash(), "order-7"));
        }
        assertThat(broker.sends()).as("one flight per queue for orderly sends").hasSize(1);
        hold.complete(null);
        List<SendResult> results = new ArrayList<>();
        for (CompletableFuture<SendResult> f : futures) {
            results.add(f.get(5, TimeUnit.SECONDS));
        }

        assertThat(broker.sends().stream().map(AutoBatchingTest::messagesIn).toList()).containsExactly(1, 5, 1, 2);
        List<String> wireOrder = new ArrayList<>();
        for (RemotingCommand send : broker.sends()) {
            if (send.code() == RequestCode.SEND_BATCH_MESSAGE) {
                BatchBodyReader.read(Unpooled.wrappedBuffer(send.body()))
                        .forEach(r -> wireOrder.add(new String(r.body(), StandardCharsets.UTF_8)));
            } else {
                wireOrder.add(bodyOf(send));
            }
        }
        assertThat(wireOrder).containsExactly("o-0", "o-1", "o-2", "o-3", "o-4", "o-5", "o-6", "o-7", "o-8");
        assertThat(results).extracting(SendResult::queue).containsOnly(results.get(0).queue());
        assertThat(results).extracting(SendResult::queueOffset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void lingerGathersSendsToAnIdleQueueIntoOneBatch() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        Duration linger = Duration.ofMillis(300);
        Producer producer = producer(oneQueue(broker), b -> b.autoBatching(AutoBatching.linger(linger)));
        producer.send(message("warm the route")); // sync: alone, not lingering

        long start = System.nanoTime();
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(producer.sendAsync(message("l-" + i)));
        }
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(f.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(broker.sends()).hasSize(2);
        assertThat(messagesIn(broker.sends().get(1))).isEqualTo(5);
        assertThat(elapsedMs).as("the first send waited for the linger time").isGreaterThanOrEqualTo(linger.toMillis() / 2);
    }

    @Test
    void lingerNeverRunsHooksOrWritesOnTheTimerThread() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        List<String> threads = new CopyOnWriteArrayList<>();
        SendHook recording = new SendHook() {
            @Override
            public void beforeSend(SendContext context) {
                threads.add(Thread.currentThread().getName());
            }

            @Override
            public void afterSend(SendContext context) {
                threads.add(Thread.currentThread().getName());
            }
        };
        Producer producer = producer(oneQueue(broker),
                b -> b.autoBatching(AutoBatching.linger(Duration.ofMillis(50))).hook(recording));
        producer.send(message("warm the route"));
        threads.clear();

        for (int round = 0; round < 5; round++) {
            List<CompletableFuture<SendResult>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(producer.sendAsync(message("r" + round + "-" + i)));
            }
            for (CompletableFuture<SendResult> f : futures) {
                assertThat(f.get(5, TimeUnit.SECONDS).isOk()).isTrue();
            }
        }
        waitUntil(() -> threads.size() == 30);
        assertThat(broker.sends()).as("each round left after the linger time, as one batch").hasSize(6);
        assertThat(threads).noneMatch(t -> t.startsWith("mq-timer-"));
    }

    @Test
    void linesOfIdleQueuesAreRemovedWithoutLosingSendsThatRaceWithTheRemoval() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        Producer producer = producer(client(cluster.nameServer(topic -> route(2, broker), 0).address()),
                b -> b.autoBatching(AutoBatching.whenBusy()).sendTimeout(Duration.ofSeconds(30)));
        DefaultProducer internals = (DefaultProducer) producer;
        internals.queueIdleTime(0); // every sweep that is due runs: lines are retired while sends enter them
        int topics = 20;
        for (int t = 0; t < topics; t++) {
            assertThat(producer.send(Message.builder("Line" + t).body("warm").build()).isOk()).isTrue();
        }
        int threads = 6;
        int perThread = 400;
        List<CompletableFuture<SendResult>> futures = new CopyOnWriteArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread sender = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    futures.add(producer.sendAsync(Message.builder("Line" + (i % topics)).body("m" + i).build()));
                    if (i % 50 == 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // let lines go idle
                    }
                }
            });
            senders.add(sender);
            sender.start();
        }
        for (Thread sender : senders) {
            sender.join(30_000);
        }
        assertThat(futures).hasSize(threads * perThread);
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(f.get(10, TimeUnit.SECONDS).isOk()).as("no send lost by a line's removal").isTrue();
        }
        java.util.concurrent.atomic.AtomicInteger fresh = new java.util.concurrent.atomic.AtomicInteger();
        waitUntil(() -> {
            producer.sendAsync(Message.builder("Fresh" + fresh.incrementAndGet()).body("x").build()).join();
            return internals.queueStates() <= 2;
        });
        assertThat(producer.inFlightRequests()).isZero();
    }

    // ------------------------------------------------------------------ failures and deadlines

    @Test
    void aRetryableBatchFailureRetriesEachMessageOnTheOtherBroker() throws Exception {
        AtomicBoolean rejectBatches = new AtomicBoolean(true);
        FakeBroker a = cluster.broker("broker-a",
                r -> r.code() == RequestCode.SEND_BATCH_MESSAGE && rejectBatches.get() ? 14 : 0);
        FakeBroker b = cluster.broker("broker-b");
        MQClientInstance client = client(cluster.nameServer(topic -> route(1, a, b), 0).address());
        Producer producer = producer(client, c -> c.autoBatching(AutoBatching.whenBusy()).latencyFaultTolerance(false));
        CompletableFuture<Void> holdA = new CompletableFuture<>();
        CompletableFuture<Void> holdB = new CompletableFuture<>();
        a.hold = holdA;
        b.hold = holdB;

        // Two sends occupy both queues; the next ones wait behind them, half per broker.
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        futures.add(producer.sendAsync(message("a0")));
        futures.add(producer.sendAsync(message("b0")));
        waitUntil(() -> a.sends().size() + b.sends().size() == 2);
        for (int i = 0; i < 10; i++) {
            futures.add(producer.sendAsync(message("w" + i)));
        }
        holdB.complete(null);
        holdA.complete(null);
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(f.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        }
        assertThat(a.sends()).filteredOn(c -> c.code() == RequestCode.SEND_BATCH_MESSAGE).hasSize(1);
        List<SendResult> retried = futures.stream().map(CompletableFuture::join)
                .filter(r -> r.queue().brokerName().equals("broker-b")).toList();
        assertThat(retried).as("b0, its five waiting sends and a's five rejected ones").hasSize(11);
        assertThat(producer.stats().retries()).isEqualTo(5);
    }

    @Test
    void aNonRetryableBatchRejectionFailsEveryMessageOfTheBatchWithTheBrokersCode() throws Exception {
        FakeBroker broker = cluster.broker("broker-a", r -> r.code() == RequestCode.SEND_BATCH_MESSAGE ? 13 : 0);
        Producer producer = producer(oneQueue(broker), b -> b.autoBatching(AutoBatching.whenBusy()));
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;

        CompletableFuture<SendResult> first = producer.sendAsync(message("alone"));
        waitUntil(() -> broker.sends().size() == 1);
        List<CompletableFuture<SendResult>> batched = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batched.add(producer.sendAsync(message("b" + i)));
        }
        hold.complete(null);
        assertThat(first.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        for (CompletableFuture<SendResult> f : batched) {
            MQException e = failure(f);
            assertThat(e.reason()).isEqualTo(MQException.Reason.BROKER_REJECTED);
            assertThat(e.responseCode()).isEqualTo(13);
        }
        assertThat(broker.sends()).hasSize(2);
    }

    @Test
    void waitingSendsTimeOutByTheirOwnDeadlinesWhenTheFlightAheadHangs() throws Exception {
        FakeBroker broker = cluster.broker("broker-a", r -> null); // never answers
        Producer producer = producer(oneQueue(broker), b -> b.autoBatching(AutoBatching.whenBusy()));

        long start = System.nanoTime();
        CompletableFuture<SendResult> ahead = producer.sendAsync(message("hangs"), Duration.ofSeconds(2));
        waitUntil(() -> broker.sends().size() == 1);
        CompletableFuture<SendResult> shortDeadline = producer.sendAsync(message("short"), Duration.ofMillis(300));
        CompletableFuture<SendResult> longDeadline = producer.sendAsync(message("long"), Duration.ofSeconds(3));

        assertThat(failure(shortDeadline).reason()).isEqualTo(MQException.Reason.TIMEOUT);
        long shortMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(shortMs).as("the 300 ms send did not wait for the 2 s one ahead of it").isLessThan(1_500);
        assertThat(failure(ahead).reason()).isEqualTo(MQException.Reason.TIMEOUT);
        assertThat(failure(longDeadline).reason()).isEqualTo(MQException.Reason.TIMEOUT);
        long allMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(allMs).as("nobody heard later than the latest deadline (3 s) plus slack").isLessThan(3_800);
        assertThat(producer.inFlightRequests()).isZero();
        assertThat(broker.sends()).as("the short send was never written").extracting(AutoBatchingTest::bodyOf)
                .doesNotContain("short");
    }

    @Test
    void aShortDeadlineInABatchExpiresAloneAndTheOthersStillHearTheBrokersAnswer() throws Exception {
        shortDeadlineMemberExpiresAlone(false);
    }

    @Test
    void aShortDeadlineInAnOrderlyBatchExpiresAloneAndTheOthersStillHearTheBrokersAnswer() throws Exception {
        shortDeadlineMemberExpiresAlone(true);
    }

    /**
     * A batch of long-deadline sends and one short one, whose answer the broker holds past the short
     * deadline: the short send fails TIMEOUT at its own deadline, the others get their results.
     */
    private void shortDeadlineMemberExpiresAlone(boolean orderly) throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        Producer producer = producer(oneQueue(broker), b -> b.autoBatching(AutoBatching.whenBusy()));
        producer.send(message("warm the route"));
        CompletableFuture<Void> firstAnswer = new CompletableFuture<>();
        CompletableFuture<Void> batchAnswer = new CompletableFuture<>();
        broker.hold = firstAnswer;
        Duration longTimeout = Duration.ofSeconds(8);
        Duration shortTimeout = Duration.ofMillis(600);
        java.util.function.BiFunction<String, Duration, CompletableFuture<SendResult>> send = orderly
                ? (body, timeout) -> producer.sendAsync(message(body), QueueSelectors.hash(), "key", timeout)
                : (body, timeout) -> producer.sendAsync(message(body), timeout);

        CompletableFuture<SendResult> first = send.apply("first", longTimeout);
        waitUntil(() -> broker.sends().size() == 2);
        broker.hold = batchAnswer; // the batch's answer waits for this
        CompletableFuture<SendResult> long1 = send.apply("long-1", longTimeout);
        long shortStart = System.nanoTime();
        CompletableFuture<SendResult> shortOne = send.apply("short", shortTimeout);
        CompletableFuture<SendResult> long2 = send.apply("long-2", longTimeout);
        firstAnswer.complete(null);
        assertThat(first.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        waitUntil(() -> broker.sends().size() == 3);
        assertThat(messagesIn(broker.sends().get(2))).as("the three left as one batch").isEqualTo(3);

        MQException shortError = failure(shortOne);
        long shortMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - shortStart);
        assertThat(shortError.reason()).isEqualTo(MQException.Reason.TIMEOUT);
        assertThat(shortMs).as("the short send heard by its own deadline, long before the others'")
                .isBetween(500L, 3_000L);
        // A window to see that nothing else fails: past the short deadline the long sends still wait.
        Thread.sleep(300);
        assertThat(long1).as("a send with time left does not fail for another's deadline").isNotDone();
        assertThat(long2).isNotDone();
        batchAnswer.complete(null);
        SendResult r1 = long1.get(5, TimeUnit.SECONDS);
        SendResult r2 = long2.get(5, TimeUnit.SECONDS);
        assertThat(r1.queueOffset()).isEqualTo(2);
        assertThat(r2.queueOffset()).as("first offset + index in the batch").isEqualTo(4);
        assertThat(broker.sends()).hasSize(3);
        waitUntil(() -> producer.inFlightRequests() == 0);
    }

    @Test
    void aCompletedSendIsNotHeldUntilItsDeadlineByTheTimerItHadWhileWaiting() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        Producer producer = producer(oneQueue(broker), b -> b.autoBatching(AutoBatching.whenBusy()));
        producer.send(message("warm the route"));
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;
        CompletableFuture<SendResult> ahead = producer.sendAsync(message("ahead"), Duration.ofSeconds(60));
        waitUntil(() -> broker.sends().size() == 2);
        // Deadlines earlier than the flight's ahead of them: each waiting send gets a timer of its own.
        List<WeakReference<byte[]>> bodies = new ArrayList<>();
        List<CompletableFuture<SendResult>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(sendTracked(producer, Duration.ofSeconds(30), bodies));
        }
        hold.complete(null);
        assertThat(ahead.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        for (CompletableFuture<SendResult> f : waiting) {
            assertThat(f.get(5, TimeUnit.SECONDS).isOk()).isTrue();
        }
        waitUntil(() -> {
            System.gc();
            return bodies.stream().allMatch(ref -> ref.get() == null);
        }); // within 5 s, far before the 30 s deadlines
    }

    /** Sends a fresh body; only the weak reference to it stays with the caller. */
    private static CompletableFuture<SendResult> sendTracked(Producer producer, Duration timeout,
                                                             List<WeakReference<byte[]>> bodies) {
        byte[] body = new byte[64 * 1024];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(body); // incompressible: a plain send
        bodies.add(new WeakReference<>(body));
        return producer.sendAsync(Message.builder(TOPIC).body(body).build(), timeout);
    }

    // ------------------------------------------------------------------ hooks and lifecycle

    @Test
    void hooksSeeEveryBatchedSendOnceWithItsOwnResult() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        List<SendContext> after = new CopyOnWriteArrayList<>();
        List<SendContext> before = new CopyOnWriteArrayList<>();
        SendHook hook = new SendHook() {
            @Override
            public void beforeSend(SendContext context) {
                before.add(context);
            }

            @Override
            public void afterSend(SendContext context) {
                after.add(context);
            }
        };
        Producer producer = producer(oneQueue(broker), b -> b.autoBatching(AutoBatching.whenBusy()).hook(hook));
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;

        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        futures.add(producer.sendAsync(message("first")));
        waitUntil(() -> broker.sends().size() == 1);
        for (int i = 0; i < 6; i++) {
            futures.add(producer.sendAsync(message("h" + i)));
        }
        hold.complete(null);
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<SendResult> f : futures) {
            ids.add(f.get(5, TimeUnit.SECONDS).messageId());
        }
        waitUntil(() -> after.size() == 7);
        assertThat(before).hasSize(7).allSatisfy(c -> assertThat(c.messageCount()).isEqualTo(1));
        assertThat(after).allSatisfy(c -> {
            assertThat(c.isFinalAttempt()).isTrue();
            assertThat(c.messageCount()).isEqualTo(1);
            assertThat(c.mode()).isEqualTo(SendMode.ASYNC);
        });
        assertThat(after).extracting(c -> c.result().messageId()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(broker.sends()).hasSize(2);
    }

    @Test
    void micrometerCountsEverySendAndTheBatchesTheyTravelledIn() throws Exception {
        FakeBroker broker = cluster.broker("broker-a");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Producer producer = producer(oneQueue(broker),
                b -> b.autoBatching(AutoBatching.whenBusy()).hook(new MicrometerSendHook(registry)));
        MicrometerSendHook.bindProducerMeters(registry, producer);
        CompletableFuture<Void> hold = new CompletableFuture<>();
        broker.hold = hold;

        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        futures.add(producer.sendAsync(message("first")));
        waitUntil(() -> broker.sends().size() == 1);
        for (int i = 0; i < 9; i++) {
            futures.add(producer.sendAsync(message("m" + i)));
        }
        hold.complete(null);
        for (CompletableFuture<SendResult> f : futures) {
            f.get(5, TimeUnit.SECONDS);
        }
        waitUntil(() -> registry.find(MicrometerSendHook.SEND).timers().stream().mapToLong(t -> t.count()).sum() == 10);
        assertThat(registry.get(MicrometerSendHook.SEND).tag("mode", "async").tag("result", "success").timer().count())
                .isEqualTo(10);
        assertThat(registry.get(MicrometerSendHook.AUTO_BATCHES).tag("group", GROUP).functionCounter().count())
                .isEqualTo(1.0);
    }

    @Test
    void clientCloseCompletesEverySendStillWaitingInALine() throws Exception {
        FakeBroker broker = cluster.broker("broker-a", r -> null); // never answers
        MQClientInstance client = oneQueue(broker);
        Producer producer = producer(client, b -> b.autoBatching(AutoBatching.whenBusy()));

        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(producer.sendAsync(message("c" + i), Duration.ofSeconds(30)));
        }
        waitUntil(() -> broker.sends().size() == 1);
        client.close();
        for (CompletableFuture<SendResult> f : futures) {
            assertThat(failure(f).reason()).isIn(MQException.Reason.SHUTDOWN, MQException.Reason.CONNECTION);
        }
        assertThat(producer.inFlightRequests()).isZero();
    }

    @Test
    void invalidSettingsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> AutoBatching.linger(Duration.ofMillis(-1))).hasMessageContaining("got PT-0.001S");
        assertThatThrownBy(() -> AutoBatching.whenBusy().maxBytes(0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> AutoBatching.whenBusy().maxMessages(1)).hasMessageContaining("got 1");
        assertThatThrownBy(() -> ProducerConfig.builder().group(GROUP).maxMessageSize(1024)
                .maxInFlightBytes(1 << 20).autoBatching(AutoBatching.whenBusy()).build())
                .isInstanceOf(MQException.class).hasMessageContaining("262144").hasMessageContaining("1024");
        assertThatThrownBy(() -> ProducerConfig.builder().group(GROUP).autoBatching(null).build())
                .isInstanceOf(MQException.class).hasMessageContaining("AutoBatching.off()");
        assertThat(ProducerConfig.builder().group(GROUP).build().autoBatching()).isEqualTo(AutoBatching.off());
        assertThat(AutoBatching.linger(Duration.ZERO)).isEqualTo(AutoBatching.whenBusy());
    }

    // ------------------------------------------------------------------ helpers

    private MQClientInstance oneQueue(FakeBroker broker) {
        return client(cluster.nameServer(topic -> route(1, broker), 0).address());
    }

    private MQClientInstance client(String nameServers) {
        return cluster.client(nameServers);
    }

    private static Producer producer(MQClientInstance client, UnaryOperator<ProducerConfig.Builder> config) {
        return FakeCluster.producer(client, GROUP, config);
    }

    private static Message message(String body) {
        return Message.builder(TOPIC).body(body).build();
    }

    private static Message body100(int i) {
        byte[] body = new byte[100];
        body[0] = (byte) i;
        return Message.builder(TOPIC).body(body).build();
    }

    /** The UTF-8 length of a plain message's properties (WAIT and UNIQ_KEY). */
    private static int propertiesLength() {
        return MessageProperties.encode(body100(0), "0".repeat(32), true).length();
    }

    private static int messagesIn(RemotingCommand send) {
        return send.code() == RequestCode.SEND_BATCH_MESSAGE
                ? BatchBodyReader.read(Unpooled.wrappedBuffer(send.body())).size() : 1;
    }

    private static String bodyOf(RemotingCommand send) {
        return new String(send.body(), StandardCharsets.UTF_8);
    }
}
