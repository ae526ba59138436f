package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.failure;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.SendResult;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.internal.protocol.MessageProperties;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.protocol.SysFlag;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.metrics.MicrometerSendHook;
import dev.mq.core.testing.StoredRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Transactional sends and check-backs on the wire, against a fake broker (§9). */
class TransactionTest extends FakeClusterTestBase {

    private static final String TOPIC = "Tx";

    private FakeBroker broker;
    private FakeServer nameServer;

    private void cluster() {
        broker = broker("broker-a");
        broker.realOffsetIds = true;
        nameServer = nameServer(topic -> route(4, broker), 0);
    }

    private static Map<String, String> properties(RemotingCommand send) {
        return MessageProperties.decode(send.field("i"));
    }

    private List<RemotingCommand> ends() {
        return broker.received(RequestCode.END_TRANSACTION);
    }

    @Test
    void halfMessageIsMarkedTransactionalAndCommitEndsItOnewayWithTheStoredOffsets() throws Exception {
        cluster();
        Producer producer = producer(client(nameServer.address()), b -> b);
        List<SendResult> seen = new ArrayList<>();

        TransactionResult result = producer.sendInTransaction(message(TOPIC, "order-1"), half -> {
            seen.add(half);
            assertThat(broker.received(RequestCode.END_TRANSACTION)).isEmpty(); // runs between half and end
            return TransactionState.COMMIT;
        });

        assertThat(result.state()).isEqualTo(TransactionState.COMMIT);
        assertThat(seen).containsExactly(result.sendResult());
        assertThat(result.transactionId()).isEqualTo(result.sendResult().messageId());
        RemotingCommand half = broker.sends().get(0);
        assertThat(Integer.parseInt(half.field("f")) & SysFlag.TRANSACTION_TYPE_MASK)
                .isEqualTo(SysFlag.TRANSACTION_PREPARED);
        assertThat(properties(half)).containsEntry(MessageProperties.TRAN_MSG, "true")
                .containsEntry(MessageProperties.PGROUP, GROUP)
                .containsEntry(MessageProperties.UNIQ_KEY, result.transactionId());
        waitUntil(() -> ends().size() == 1);
        RemotingCommand end = ends().get(0);
        assertThat(end.isOneway()).isTrue();
        assertThat(end.field("producerGroup")).isEqualTo(GROUP);
        assertThat(end.field("tranStateTableOffset")).isEqualTo(Long.toString(result.sendResult().queueOffset()));
        assertThat(end.field("commitLogOffset"))
                .isEqualTo(Long.toString(FakeBroker.PHYSICAL_BASE + result.sendResult().queueOffset()));
        assertThat(end.field("commitOrRollback")).isEqualTo("8");
        assertThat(end.field("fromTransactionCheck")).isEqualTo("false");
        assertThat(end.field("msgId")).isEqualTo(result.transactionId());
        assertThat(end.field("bname")).isEqualTo("broker-a");
        assertThat(producer.stats().transactions(TransactionState.COMMIT)).isEqualTo(1);
    }

    @Test
    void namespacedGroupTravelsInPgroupAndInTheEnd() throws Exception {
        cluster();
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        MQClientInstance namespaced = MQClientInstance.builder().nameServer(ns.address()).namespace("tenant1").build();
        cluster.add(namespaced);
        namespaced.start();
        Producer producer = producer(namespaced, b -> b);

        producer.sendInTransaction(message(TOPIC, "x"), half -> TransactionState.ROLLBACK);

        assertThat(properties(broker.sends().get(0))).containsEntry(MessageProperties.PGROUP, "tenant1%" + GROUP);
        waitUntil(() -> ends().size() == 1);
        assertThat(ends().get(0).field("producerGroup")).isEqualTo("tenant1%" + GROUP);
        assertThat(ends().get(0).field("commitOrRollback")).isEqualTo("12");
    }

    @Test
    void aLocalTransactionThatThrowsLeavesTheMessageUnknownAndReachesTheCallerWithTheTransactionId()
            throws Exception {
        cluster();
        Producer producer = producer(client(nameServer.address()), b -> b);
        IllegalStateException boom = new IllegalStateException("database down");

        MQException thrown = (MQException) org.assertj.core.api.Assertions.catchThrowable(() ->
                producer.sendInTransaction(message(TOPIC, "x"), half -> {
                    throw boom;
                }));

        String id = properties(broker.sends().get(0)).get(MessageProperties.UNIQ_KEY);
        assertThat(thrown.reason()).isEqualTo(MQException.Reason.LOCAL_TRANSACTION);
        assertThat(thrown).hasCause(boom).hasMessageContaining(id);
        waitUntil(() -> ends().size() == 1);
        assertThat(ends().get(0).field("commitOrRollback")).isEqualTo("0");
        assertThat(producer.stats().transactions(TransactionState.UNKNOWN)).isEqualTo(1);
    }

    @Test
    void aBegunTransactionReachesTheCallerOnACallbackThreadNeverAnEventLoop() throws Exception {
        cluster();
        Producer producer = producer(client(nameServer.address()), b -> b); // no hooks: the half completes inline

        CompletableFuture<Void> answer = new CompletableFuture<>();
        broker.hold = answer; // the half's answer waits until the caller has chained on the future
        CompletableFuture<String> thread = producer.beginTransaction(message(TOPIC, "x"))
                .thenApply(tx -> Thread.currentThread().getName());
        answer.complete(null);

        assertThat(thread.get(5, TimeUnit.SECONDS)).startsWith("mq-callback-");
    }

    @Test
    void twoStepTransactionEndsOnceTheFirstEndWins() throws Exception {
        cluster();
        Producer producer = producer(client(nameServer.address()), b -> b);

        Transaction tx = producer.beginTransaction(message(TOPIC, "x")).get(5, TimeUnit.SECONDS);
        assertThat(tx.state()).isEqualTo(TransactionState.UNKNOWN);
        var committed = tx.commit();
        var again = tx.rollback();
        committed.get(5, TimeUnit.SECONDS);

        assertThat(again).isSameAs(committed);
        assertThat(tx.state()).isEqualTo(TransactionState.COMMIT);
        waitUntil(() -> ends().size() == 1);
        Thread.sleep(100); // a second END would follow the first on the same connection at once
        assertThat(ends()).hasSize(1);
        assertThat(ends().get(0).field("commitOrRollback")).isEqualTo("8");
        assertThat(tx.transactionId()).isEqualTo(ends().get(0).field("msgId"));
    }

    @Test
    void badTransactionalSendsFailWithValidationBeforeAnyIo() throws Exception {
        cluster();
        Producer producer = producer(client(nameServer.address()), b -> b);

        assertThatThrownBy(() -> producer.sendInTransaction(message(TOPIC, "x"), null))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        Message delayed = Message.builder(TOPIC).body("x").deliveryDelay(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> producer.sendInTransaction(delayed, half -> TransactionState.COMMIT))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        assertThat(failure(producer.beginTransaction(delayed)).reason()).isEqualTo(MQException.Reason.VALIDATION);
        producer.close();
        assertThatThrownBy(() -> producer.sendInTransaction(message(TOPIC, "x"), half -> TransactionState.COMMIT))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.VALIDATION));
        assertThat(failure(producer.beginTransaction(message(TOPIC, "x"))).reason())
                .isEqualTo(MQException.Reason.VALIDATION);

        assertThat(broker.sends()).isEmpty();
        assertThat(routeRequests(nameServer, TOPIC)).isZero();
    }

    @Test
    void aHalfStoredWithoutItsReplicaIsRolledBackAndTheLocalTransactionNeverRuns() throws Exception {
        broker = broker("broker-a", request -> 11); // SLAVE_NOT_AVAILABLE: stored, not replicated
        broker.realOffsetIds = true;
        nameServer = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(nameServer.address()), b -> b);
        AtomicInteger ran = new AtomicInteger();

        assertThatThrownBy(() -> producer.sendInTransaction(message(TOPIC, "x"), half -> {
            ran.incrementAndGet();
            return TransactionState.COMMIT;
        })).isInstanceOfSatisfying(MQException.class, e -> {
            assertThat(e.reason()).isEqualTo(MQException.Reason.BROKER_REJECTED);
            assertThat(e).hasMessageContaining("SLAVE_NOT_AVAILABLE");
        });

        assertThat(ran).hasValue(0);
        waitUntil(() -> ends().size() == 1);
        assertThat(ends().get(0).field("commitOrRollback")).isEqualTo("12");
        assertThat(broker.sends()).hasSize(1); // stored: never retried
    }

    @Test
    void micrometerCountsTransactionsByOutcomeAndChecksByAnswer() throws Exception {
        cluster();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Producer producer = connected(GROUP, half -> TransactionState.ROLLBACK, 0);
        MicrometerSendHook.bindProducerMeters(registry, producer);

        producer.sendInTransaction(message(TOPIC, "a"), half -> TransactionState.COMMIT);
        producer.sendInTransaction(message(TOPIC, "b"), half -> TransactionState.COMMIT);
        producer.sendInTransaction(message(TOPIC, "c"), half -> TransactionState.UNKNOWN);
        producer.beginTransaction(message(TOPIC, "d")).get(5, TimeUnit.SECONDS).rollback();
        broker.checkTransaction(0, half(GROUP, "TX-CHECKED", TOPIC), checkFields("TX-CHECKED"));
        waitUntil(() -> ends().size() == 5);

        assertThat(registry.get(MicrometerSendHook.TRANSACTIONS).tag("group", GROUP).tag("outcome", "commit")
                .functionCounter().count()).isEqualTo(2.0);
        assertThat(registry.get(MicrometerSendHook.TRANSACTIONS).tag("outcome", "unknown").functionCounter().count())
                .isEqualTo(1.0);
        assertThat(registry.get(MicrometerSendHook.TRANSACTIONS).tag("outcome", "rollback").functionCounter().count())
                .isEqualTo(1.0);
        assertThat(registry.get(MicrometerSendHook.TRANSACTION_CHECKS).tag("group", GROUP).tag("answer", "rollback")
                .functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get(MicrometerSendHook.TRANSACTION_CHECKS).tag("answer", "commit").functionCounter()
                .count()).isZero();
    }

    // ---- check-backs ----

    private static byte[] half(String group, String id, String topic) {
        StoredRecord r = new StoredRecord();
        r.topic = topic;
        r.sysFlag = SysFlag.TRANSACTION_PREPARED;
        r.properties.put(MessageProperties.KEYS, "order-7");
        r.properties.put("customer", "c-1");
        r.properties.put(MessageProperties.UNIQ_KEY, id);
        r.properties.put(MessageProperties.TRAN_MSG, "true");
        r.properties.put(MessageProperties.PGROUP, group);
        return r.bytes();
    }

    private static Map<String, String> checkFields(String id) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("tranStateTableOffset", "77");
        fields.put("commitLogOffset", "8800");
        fields.put("msgId", id);
        fields.put("transactionId", id);
        fields.put("offsetMsgId", "7F0000010000000000000000000022600");
        fields.put("bname", "broker-a");
        return fields;
    }

    /** A client with a producer of {@code group}, connected to the broker as its {@code index}-th connection. */
    private Producer connected(String group, TransactionChecker checker, int index) throws Exception {
        Producer producer = FakeCluster.producer(client(nameServer.address()), group,
                b -> b.transactionChecker(checker));
        producer.send(message(TOPIC, "connect"));
        waitUntil(() -> broker.server.channels().size() == index + 1);
        return producer;
    }

    @Test
    void checkGoesToTheProducerOfTheHalfsGroupAndIsAnsweredToTheAskingBroker() throws Exception {
        cluster();
        List<ReceivedMessage> askedA = new CopyOnWriteArrayList<>();
        List<ReceivedMessage> askedB = new CopyOnWriteArrayList<>();
        Producer a = connected("tx-a", half -> {
            askedA.add(half);
            return TransactionState.COMMIT;
        }, 0);
        connected("tx-b", half -> {
            askedB.add(half);
            return TransactionState.ROLLBACK;
        }, 1);

        broker.checkTransaction(0, half("tx-a", "TX-A-1", TOPIC), checkFields("TX-A-1"));

        waitUntil(() -> ends().size() == 1);
        assertThat(askedB).isEmpty();
        assertThat(askedA).hasSize(1);
        ReceivedMessage asked = askedA.get(0);
        assertThat(asked.messageId()).isEqualTo("TX-A-1");
        assertThat(asked.topic()).isEqualTo(TOPIC);
        assertThat(asked.keys()).containsExactly("order-7");
        assertThat(asked.properties()).containsExactly(Map.entry("customer", "c-1"));
        assertThat(asked.queue().brokerName()).isEqualTo("broker-a");
        RemotingCommand end = ends().get(0);
        assertThat(end.isOneway()).isTrue();
        assertThat(end.field("producerGroup")).isEqualTo("tx-a");
        assertThat(end.field("commitOrRollback")).isEqualTo("8");
        assertThat(end.field("fromTransactionCheck")).isEqualTo("true");
        assertThat(end.field("tranStateTableOffset")).isEqualTo("77");
        assertThat(end.field("commitLogOffset")).isEqualTo("8800");
        assertThat(end.field("msgId")).isEqualTo("TX-A-1");
        assertThat(end.field("transactionId")).isEqualTo("TX-A-1");
        assertThat(end.field("bname")).isEqualTo("broker-a");
        assertThat(a.stats().transactionChecks(TransactionState.COMMIT)).isEqualTo(1);
    }

    @Test
    void aGroupWithoutProducerOrCheckerHereIsAnsweredUnknown() throws Exception {
        cluster();
        connected("tx-a", half -> TransactionState.COMMIT, 0);
        Producer noChecker = FakeCluster.producer(cluster.client(nameServer.address()), "tx-plain", b -> b);

        broker.checkTransaction(0, half("tx-elsewhere", "TX-1", TOPIC), checkFields("TX-1"));
        broker.checkTransaction(0, half("tx-elsewhere", "TX-2", TOPIC), checkFields("TX-2"));
        waitUntil(() -> ends().size() == 2);

        assertThat(ends()).allSatisfy(end -> {
            assertThat(end.field("commitOrRollback")).isEqualTo("0");
            assertThat(end.field("fromTransactionCheck")).isEqualTo("true");
            assertThat(end.field("producerGroup")).isEqualTo("tx-elsewhere");
        });
        assertThat(noChecker.stats().transactionChecks(TransactionState.UNKNOWN)).isZero();
    }

    @Test
    void overlappingChecksOfOneTransactionRunTheCheckerOnce() throws Exception {
        cluster();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        connected("tx-a", half -> {
            calls.incrementAndGet();
            if (half.messageId().equals("TX-SLOW")) {
                inside.countDown();
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            }
            return TransactionState.COMMIT;
        }, 0);

        broker.checkTransaction(0, half("tx-a", "TX-SLOW", TOPIC), checkFields("TX-SLOW"));
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        broker.checkTransaction(0, half("tx-a", "TX-SLOW", TOPIC), checkFields("TX-SLOW"));
        broker.checkTransaction(0, half("tx-a", "TX-OTHER", TOPIC), checkFields("TX-OTHER"));
        waitUntil(() -> ends().size() == 1); // the other transaction's check is not held up
        release.countDown();
        waitUntil(() -> ends().size() == 2);

        assertThat(calls).hasValue(2);
        assertThat(ends()).extracting(end -> end.field("msgId")).containsExactlyInAnyOrder("TX-SLOW", "TX-OTHER");
    }

    @Test
    void aCheckerThatThrowsAnswersNothingAndTheNextCheckIsAnswered() throws Exception {
        cluster();
        AtomicInteger calls = new AtomicInteger();
        connected("tx-a", half -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("database down");
            }
            return TransactionState.ROLLBACK;
        }, 0);

        broker.checkTransaction(0, half("tx-a", "TX-1", TOPIC), checkFields("TX-1"));
        waitUntil(() -> calls.get() == 1);
        Thread.sleep(200);
        assertThat(ends()).isEmpty();
        // The broker asks again later; a check that arrives while the failed one is still being
        // cleaned up is dropped as overlapping, so ask as the broker does until an answer comes.
        for (int i = 0; i < 50 && ends().isEmpty(); i++) {
            broker.checkTransaction(0, half("tx-a", "TX-1", TOPIC), checkFields("TX-1"));
            Thread.sleep(100);
        }
        waitUntil(() -> ends().size() == 1);

        assertThat(calls).hasValueGreaterThanOrEqualTo(2);
        assertThat(ends().get(0).field("commitOrRollback")).isEqualTo("12");
    }
}
