package dev.mq.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.core.producer.Transaction;
import dev.mq.core.producer.TransactionResult;
import dev.mq.core.producer.TransactionState;
import dev.mq.test.ChildJvm;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.OfficialConsumer;
import dev.mq.test.StoredMessage;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactional messages on a real broker, with check-backs made frequent (every second, for half
 * messages older than a second); Apache's own consumer is the independent reader of what became
 * visible.
 *
 * <p>5.x brokers record ended halves in batches (every {@code transactionOpBatchInterval}, 3 s by
 * default): a half checked again before its end is recorded is checked again, and a second COMMIT
 * stores the message a second time. With checks every second the batch interval is made shorter
 * than the check interval, as it is in a default setup (checks every 30 s).
 */
@WithEmbeddedRocketMQ(topics = {"TxCommit", "TxRollback", "TxUnknown", "TxThrows", "TxOrphan", "TxHalted", "TxConnect"},
        brokerProperties = {"transactionCheckInterval=1000", "transactionTimeOut=1000", "transactionCheckMax=15",
                "transactionOpBatchInterval=100"})
class TransactionIntegrationTest {

    static final String GROUP = "it-tx";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(40);
    /** Several check intervals: long enough for a wrongly kept or flipped message to surface. */
    private static final Duration QUIET = Duration.ofSeconds(5);

    private static MQClientInstance client;
    private static Producer producer;
    /** What the checker answers, by transaction id; UNKNOWN for any other. */
    private static final Map<String, Function<Integer, TransactionState>> answers = new ConcurrentHashMap<>();
    /** The topic and broker of each message the checker was asked about. */
    private static final Map<String, String> askedWhere = new ConcurrentHashMap<>();
    /** How often the checker was asked, by transaction id. */
    private static final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();

    @BeforeAll
    static void start(EmbeddedRocketMQ mq) {
        client = MQClientInstance.builder().nameServer(mq.nameServerAddress()).build();
        client.start();
        producer = client.newProducer(ProducerConfig.builder().group(GROUP).transactionChecker(half -> {
            int n = asked.computeIfAbsent(half.messageId(), id -> new AtomicInteger()).incrementAndGet();
            askedWhere.put(half.messageId(), half.topic() + "@" + half.queue().brokerName());
            return answers.getOrDefault(half.messageId(), i -> TransactionState.UNKNOWN).apply(n);
        }).build());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static Message message(String topic, String body) {
        return Message.builder(topic).keys("order-" + body).property("origin", "it").body(body).build();
    }

    private static int askedFor(String id) {
        AtomicInteger n = asked.get(id);
        return n == null ? 0 : n.get();
    }

    /**
     * Every queue of {@code topic} read to its end. After {@link #QUIET} what a wrong check would have
     * stored is stored: reading to the end shows it without waiting out a count that must not come.
     */
    private static List<StoredMessage> snapshot(EmbeddedRocketMQ mq, String topic) {
        return OfficialConsumer.readAll(mq.nameServerAddress(), topic, 0, READ_TIMEOUT);
    }

    private static List<String> bodies(List<StoredMessage> read) {
        return read.stream().map(m -> new String(m.getBody(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void committedMessageIsReadableAndALaterRollbackDoesNotFlipIt(EmbeddedRocketMQ mq) throws Exception {
        TransactionResult result = producer.sendInTransaction(message("TxCommit", "one-call"),
                half -> TransactionState.COMMIT);
        Transaction twoStep = producer.beginTransaction(message("TxCommit", "two-step")).get(10, TimeUnit.SECONDS);
        answers.put(result.transactionId(), n -> TransactionState.ROLLBACK); // must never be asked
        answers.put(twoStep.transactionId(), n -> TransactionState.ROLLBACK);
        twoStep.commit().get(10, TimeUnit.SECONDS);
        twoStep.rollback().get(10, TimeUnit.SECONDS); // a no-op: the first end decided

        List<StoredMessage> read = OfficialConsumer.readAll(mq.nameServerAddress(), "TxCommit", 2, READ_TIMEOUT);
        assertThat(bodies(read)).containsExactlyInAnyOrder("one-call", "two-step");
        assertThat(read).extracting(StoredMessage::getMsgId)
                .containsExactlyInAnyOrder(result.transactionId(), twoStep.transactionId());
        Thread.sleep(QUIET.toMillis()); // checks that should not come, given time to come
        assertThat(snapshot(mq, "TxCommit")).hasSize(2);
        assertThat(askedFor(result.transactionId())).isZero();
        assertThat(askedFor(twoStep.transactionId())).isZero();
    }

    @Test
    void rolledBackMessageIsNeverReadable(EmbeddedRocketMQ mq) throws Exception {
        TransactionResult rolledBack = producer.sendInTransaction(message("TxRollback", "rolled-back"),
                half -> TransactionState.ROLLBACK);
        answers.put(rolledBack.transactionId(), n -> TransactionState.COMMIT); // must never be asked
        Thread.sleep(QUIET.toMillis());
        producer.sendInTransaction(message("TxRollback", "marker"), half -> TransactionState.COMMIT);

        // Read until the marker is there: the rolled-back message, stored before it if at all, would be too.
        List<StoredMessage> read = OfficialConsumer.readUntil(mq.nameServerAddress(), "TxRollback",
                r -> bodies(r).contains("marker"), READ_TIMEOUT);

        assertThat(bodies(read)).containsExactly("marker");
        assertThat(askedFor(rolledBack.transactionId())).isZero();
    }

    @Test
    void unknownIsDecidedByTheCheckerAndItsAnswerHolds(EmbeddedRocketMQ mq) throws Exception {
        TransactionResult commitLater = producer.sendInTransaction(message("TxUnknown", "checked-commit"),
                half -> {
                    answers.put(half.messageId(), n -> TransactionState.COMMIT);
                    return TransactionState.UNKNOWN;
                });
        TransactionResult rollbackLater = producer.sendInTransaction(message("TxUnknown", "checked-rollback"),
                half -> {
                    answers.put(half.messageId(), n -> TransactionState.ROLLBACK);
                    return TransactionState.UNKNOWN;
                });
        assertThat(commitLater.state()).isEqualTo(TransactionState.UNKNOWN);

        List<StoredMessage> read = OfficialConsumer.readAll(mq.nameServerAddress(), "TxUnknown", 1, READ_TIMEOUT);
        assertThat(bodies(read)).containsExactly("checked-commit");
        Thread.sleep(QUIET.toMillis());

        assertThat(bodies(snapshot(mq, "TxUnknown"))).containsExactly("checked-commit");
        assertThat(askedFor(commitLater.transactionId())).isEqualTo(1);
        assertThat(askedFor(rollbackLater.transactionId())).isEqualTo(1);
        // 5.x names the broker in its check; for 4.9 the client finds it from the asking address
        assertThat(askedWhere.get(commitLater.transactionId())).isEqualTo("TxUnknown@" + mq.brokerName(0));
        assertThat(producer.stats().transactionChecks(TransactionState.COMMIT)).isPositive();
        assertThat(producer.stats().transactions(TransactionState.UNKNOWN)).isPositive();
    }

    @Test
    void aCheckerThatThrowsIsAskedAgainAtTheNextCheck(EmbeddedRocketMQ mq) {
        assertThatThrownBy(() -> producer.sendInTransaction(message("TxThrows", "after-retry"), half -> {
            answers.put(half.messageId(), n -> {
                if (n == 1) {
                    throw new IllegalStateException("database briefly down");
                }
                return TransactionState.COMMIT;
            });
            throw new IllegalStateException("local transaction failed to say");
        })).isInstanceOfSatisfying(MQException.class,
                e -> assertThat(e.reason()).isEqualTo(MQException.Reason.LOCAL_TRANSACTION));

        List<StoredMessage> read = OfficialConsumer.readAll(mq.nameServerAddress(), "TxThrows", 1, READ_TIMEOUT);

        assertThat(bodies(read)).containsExactly("after-retry");
        assertThat(askedFor(read.get(0).getMsgId())).isGreaterThanOrEqualTo(2);
    }

    /**
     * A producer process halts between half and end (no end, no unregistering): the check reaches a
     * client of the same group in another process, whose checker decides.
     */
    @Test
    void aHalfLeftByAHaltedProducerProcessIsDecidedByAnotherProcessOfItsGroup(EmbeddedRocketMQ mq,
                                                                             @TempDir Path dir) throws Exception {
        Map<String, Integer> askedHere = new ConcurrentHashMap<>();
        MQClientInstance survivor = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .instanceName("survivor-of-halt").build();
        survivor.start();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ChildJvm child = ChildJvm.builder("half-then-halt", HalfThenHalt.class.getName())
                .classpath(classpath)
                .jvmOptions(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"))
                .replyPrefix(HalfThenHalt.PREFIX)
                .log(dir.resolve("half-then-halt.log"))
                .start();
        try {
            Producer second = survivor.newProducer(ProducerConfig.builder().group("it-tx-halted")
                    .transactionChecker(half -> {
                        askedHere.merge(half.messageId(), 1, Integer::sum);
                        return TransactionState.COMMIT;
                    }).build());
            second.send(message("TxConnect", "connect")); // a route, hence heartbeats: the broker knows us
            child.awaitReady(Duration.ofSeconds(60));
            String id = child.call("BEGIN " + mq.nameServerAddress() + " it-tx-halted TxHalted halted",
                    Duration.ofSeconds(60));

            List<StoredMessage> read = OfficialConsumer.readAll(mq.nameServerAddress(), "TxHalted", 1, READ_TIMEOUT);

            assertThat(read).extracting(StoredMessage::getMsgId).containsExactly(id);
            assertThat(askedHere).containsKey(id);
        } finally {
            child.kill();
            survivor.close();
        }
    }

    /**
     * The producer that stored the half is gone before its end: the broker's check reaches another
     * client instance of the same group, whose checker decides.
     */
    @Test
    void aHalfLeftByAVanishedProducerIsDecidedByAnotherInstanceOfItsGroup(EmbeddedRocketMQ mq) throws Exception {
        MQClientInstance vanishing = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .instanceName("vanishing").build();
        vanishing.start();
        String id;
        try {
            Producer first = vanishing.newProducer(ProducerConfig.builder().group("it-tx-orphan").build());
            id = first.beginTransaction(message("TxOrphan", "orphan")).get(10, TimeUnit.SECONDS).transactionId();
        } finally {
            vanishing.close(); // no end was sent
        }
        Map<String, Integer> askedHere = new ConcurrentHashMap<>();
        MQClientInstance survivor = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .instanceName("survivor").build();
        survivor.start();
        try {
            Producer second = survivor.newProducer(ProducerConfig.builder().group("it-tx-orphan")
                    .transactionChecker(half -> {
                        askedHere.merge(half.messageId(), 1, Integer::sum);
                        return TransactionState.COMMIT;
                    }).build());
            second.send(message("TxConnect", "connect")); // a route, hence heartbeats: the broker knows us

            List<StoredMessage> read = OfficialConsumer.readAll(mq.nameServerAddress(), "TxOrphan", 1, READ_TIMEOUT);

            assertThat(read).extracting(StoredMessage::getMsgId).containsExactly(id);
            assertThat(askedHere).containsKey(id);
        } finally {
            survivor.close();
        }
    }
}
