package dev.mq.core.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MessageQueue;
import dev.mq.core.client.ClientResources;
import dev.mq.core.internal.client.CallbackExecutor;
import dev.mq.core.internal.protocol.LockBatchBody;
import dev.mq.core.internal.protocol.RequestCode;
import dev.mq.core.internal.transport.InboundRequestHandler;
import dev.mq.core.internal.transport.RemotingClient;
import dev.mq.core.internal.transport.RemotingCommand;
import dev.mq.core.internal.transport.RemotingConfig;
import dev.mq.core.producer.FakeBroker;
import dev.mq.core.testing.ManualClock;
import dev.mq.core.testing.ManualTimer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Orderly queue locks against fake brokers keeping a lock table; time from a manual clock and timer. */
class QueueLocksTest {

    private static final MessageQueue A0 = new MessageQueue("Orders", "broker-a", 0);
    private static final MessageQueue A1 = new MessageQueue("Orders", "broker-a", 1);
    private static final MessageQueue B0 = new MessageQueue("Orders", "broker-b", 0);
    private static final MessageQueue UNROUTED = new MessageQueue("Orders", "broker-x", 0);

    private final CallbackExecutor callbacks = CallbackExecutor.create(null, "locks-test");
    private final ClientResources resources = ClientResources.builder().name("locks-test").build();
    private final RemotingClient remoting = new RemotingClient("locks-test", RemotingConfig.defaults(),
            InboundRequestHandler.UNSUPPORTED, callbacks, resources.eventLoopGroup(), resources.timer(),
            resources.clock());
    private final FakeBroker brokerA = new FakeBroker("broker-a");
    private final FakeBroker brokerB = new FakeBroker("broker-b");
    private final ManualTimer timer = new ManualTimer(new ManualClock());
    private final ManualClock clock = timer.clock();
    private final QueueLocks locks = locks("10.0.0.1@me");
    private boolean brokerAStopped;

    private QueueLocks locks(String clientId) {
        Map<String, String> masters = Map.of("broker-a", brokerA.address(), "broker-b", brokerB.address());
        return new QueueLocks(remoting, timer, clock, clientId, "billing", q -> masters.get(q.brokerName()));
    }

    @AfterEach
    void tearDown() {
        locks.close();
        remoting.close();
        resources.close();
        callbacks.close(Duration.ofSeconds(1));
        if (!brokerAStopped) {
            brokerA.close();
        }
        brokerB.close();
    }

    private static Set<MessageQueue> queuesIn(RemotingCommand request) {
        return LockBatchBody.decodeRequest(Objects.requireNonNull(request.body())).queues();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void oneRequestPerBrokerGrantsOnlyTheFreeQueues() {
        brokerA.locks.put(A1, "10.0.0.2@other");

        Set<MessageQueue> locked = locks.lock(List.of(A0, A1, B0, UNROUTED)).join();

        assertThat(locked).containsExactlyInAnyOrder(A0, B0);
        assertThat(locks.isLocked(A0)).isTrue();
        assertThat(locks.isLocked(A1)).isFalse();
        assertThat(locks.isLocked(UNROUTED)).isFalse();
        assertThat(brokerA.received(RequestCode.LOCK_BATCH_MQ)).singleElement()
                .satisfies(r -> assertThat(queuesIn(r)).containsExactly(A0, A1));
        assertThat(brokerB.received(RequestCode.LOCK_BATCH_MQ)).singleElement()
                .satisfies(r -> assertThat(queuesIn(r)).containsExactly(B0));
        LockBatchBody.LockRequest sent = LockBatchBody.decodeRequest(
                Objects.requireNonNull(brokerA.received(RequestCode.LOCK_BATCH_MQ).get(0).body()));
        assertThat(sent.clientId()).isEqualTo("10.0.0.1@me");
        assertThat(sent.consumerGroup()).isEqualTo("billing");
        assertThat(locks.lastLockMillis(A0)).isEqualTo(clock.millis());
        assertThat(locks.lastLockMillis(A1)).isZero();
    }

    @Test
    void twoClientsOfAGroupCannotBothHoldAQueue() {
        QueueLocks other = locks("10.0.0.2@other");
        assertThat(locks.lock(List.of(A0)).join()).containsExactly(A0);
        assertThat(other.lock(List.of(A0, A1)).join()).containsExactly(A1);
        assertThat(other.isLocked(A0)).isFalse();
    }

    @Test
    void aLockRunsOutThirtySecondsAfterItsRequestWithoutRenewal() {
        long sent = clock.nanoTime();
        locks.lock(List.of(A0)).join();
        assertThat(locks.lockedUntilNanos(A0)).isEqualTo(sent + Duration.ofSeconds(30).toNanos());

        timer.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThat(locks.isLocked(A0)).isTrue();
        timer.advance(Duration.ofMillis(1));
        assertThat(locks.isLocked(A0)).isFalse();
        // The broker still holds it (its 60 s have not passed): the client stops first.
        assertThat(brokerA.locks).containsEntry(A0, "10.0.0.1@me");
    }

    @Test
    void renewalEveryTwentySecondsKeepsTheLock() throws Exception {
        long start = clock.nanoTime();
        locks.lock(List.of(A0, B0)).join();
        locks.startRenewal(() -> List.of(A0, B0));

        timer.advance(Duration.ofSeconds(1));
        await(() -> Objects.equals(locks.lockedUntilNanos(A0), start + Duration.ofSeconds(31).toNanos())
                && Objects.equals(locks.lockedUntilNanos(B0), start + Duration.ofSeconds(31).toNanos()));
        timer.advance(Duration.ofSeconds(20));
        await(() -> Objects.equals(locks.lockedUntilNanos(A0), start + Duration.ofSeconds(51).toNanos())
                && Objects.equals(locks.lockedUntilNanos(B0), start + Duration.ofSeconds(51).toNanos()));
        assertThat(brokerA.received(RequestCode.LOCK_BATCH_MQ)).hasSize(3);

        timer.advance(Duration.ofSeconds(19));
        // 40 s after the first lock, 19 s after the last renewal.
        assertThat(locks.isLocked(A0)).isTrue();
        assertThat(locks.isLocked(B0)).isTrue();
    }

    @Test
    void aRenewalTheBrokerRefusesUnlocksAtOnce() throws Exception {
        locks.lock(List.of(A0)).join();
        locks.startRenewal(() -> List.of(A0));
        brokerA.locks.put(A0, "10.0.0.2@other"); // the broker gave it away (say, after 60 s without renewal)

        timer.advance(Duration.ofSeconds(1));
        await(() -> !locks.isLocked(A0));
        assertThat(locks.lockedUntilNanos(A0)).isNull();
    }

    @Test
    void aBrokerThatCannotBeAskedLeavesTheLockToRunOut() throws Exception {
        locks.lock(List.of(A0)).join();
        brokerA.close();
        brokerAStopped = true;
        timer.advance(Duration.ofSeconds(20));

        assertThat(locks.lock(List.of(A0)).join()).containsExactly(A0);
        timer.advance(Duration.ofSeconds(10));
        assertThat(locks.isLocked(A0)).isFalse();
    }

    @Test
    void releaseUnlocksAtTheBrokerAndHereAndStopsRenewing() throws Exception {
        locks.lock(List.of(A0, A1, B0)).join();
        locks.startRenewal(() -> List.of(A0));

        locks.unlock(List.of(A0, A1)).join();

        assertThat(brokerA.received(RequestCode.UNLOCK_BATCH_MQ)).singleElement()
                .satisfies(r -> assertThat(queuesIn(r)).containsExactly(A0, A1));
        assertThat(brokerB.received(RequestCode.UNLOCK_BATCH_MQ)).isEmpty();
        assertThat(brokerA.locks).isEmpty();
        assertThat(locks.isLocked(A0)).isFalse();
        assertThat(locks.isLocked(B0)).isTrue();

        locks.close();
        timer.advance(Duration.ofSeconds(30));
        assertThat(timer.pendingCount()).isZero();
        assertThat(brokerA.received(RequestCode.LOCK_BATCH_MQ)).hasSize(1);
    }

    @Test
    void aLockAnswerArrivingAfterTheReleaseDoesNotReviveIt() {
        var pending = locks.lock(List.of(A0));
        locks.unlock(List.of(A0)).join();
        pending.join();
        assertThat(locks.isLocked(A0)).isFalse();
        assertThat(brokerA.locks).isEmpty();
    }
}
