package dev.mq.core.producer;

import static dev.mq.core.producer.FakeCluster.route;
import static dev.mq.core.producer.SendAssertions.failure;
import static dev.mq.core.producer.SendAssertions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import dev.mq.core.internal.transport.FakeServer;
import dev.mq.core.internal.transport.RemotingCommand;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What a broker's answer becomes: results, retries on another broker, rejections, timeouts, and which
 * outcomes penalise a broker.
 */
class ResultsAndRetriesTest extends FakeClusterTestBase {

    @Test
    void sendResultCarriesWhatTheBrokerAnswered() throws Exception {
        FakeBroker broker = broker("broker-a");
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b);

        SendResult first = producer.send(message("Results", "a"));
        SendResult second = producer.send(message("Results", "b"));
        assertThat(first.status()).isEqualTo(SendStatus.SEND_OK);
        assertThat(first.queue().brokerName()).isEqualTo("broker-a");
        assertThat(first.offsetMessageId()).isEqualTo("broker-a-OFFSET-0");
        assertThat(first.queueOffset()).isZero();
        assertThat(second.queueOffset()).isEqualTo(1);
        RemotingCommand wire = broker.sends().get(0);
        assertThat(first.queue().queueId()).isEqualTo(Integer.parseInt(wire.field("e")));
        assertThat(wire.field("a")).isEqualTo(GROUP);
        assertThat(wire.field("i")).contains(first.messageId());
        assertThat(first.messageId()).isNotEqualTo(second.messageId());
    }

    @Test
    void storedButNotFlushedIsAResultNotARetry() throws Exception {
        FakeBroker a = broker("broker-a", request -> 10); // FLUSH_DISK_TIMEOUT
        FakeBroker b = broker("broker-b", request -> 10);
        FakeServer ns = nameServer(topic -> route(2, a, b), 0);
        Producer producer = producer(client(ns.address()), c -> c);

        assertThat(producer.send(message("Flush", "x")).status()).isEqualTo(SendStatus.FLUSH_DISK_TIMEOUT);
        assertThat(a.sends().size() + b.sends().size()).isEqualTo(1);
    }

    @Test
    void aQueueWhoseBrokerHasNoMasterFailsThatAttemptWithNoRouteAndTheRetryGoesToAnotherBroker() throws Exception {
        FakeBroker a = broker("broker-a");
        // An ordered-topic configuration names a broker the route has no address for.
        byte[] route = ("{\"orderTopicConf\":\"broker-ghost:1;broker-a:1\",\"brokerDatas\":[{\"brokerAddrs\":{\"0\":\""
                + a.address() + "\"},\"brokerName\":\"broker-a\",\"cluster\":\"DefaultCluster\"}],"
                + "\"filterServerTable\":{},\"queueDatas\":[]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        FakeServer ns = nameServer(topic -> route, 0);
        List<SendContext> attempts = new CopyOnWriteArrayList<>();
        Producer producer = producer(client(ns.address()), c -> c.hook(new SendHook() {
            @Override
            public void afterSend(SendContext context) {
                attempts.add(context);
            }
        }));

        // Round robin over the two queues: one of two sends picks the masterless broker first.
        assertThat(producer.send(message("Ghost", "x")).queue().brokerName()).isEqualTo("broker-a");
        assertThat(producer.send(message("Ghost", "y")).queue().brokerName()).isEqualTo("broker-a");

        assertThat(a.sends()).hasSize(2);
        assertThat(producer.stats().retries()).isEqualTo(1);
        waitUntil(() -> attempts.size() == 3);
        List<SendContext> failed = attempts.stream().filter(context -> context.error() != null).toList();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).isFinalAttempt()).isFalse();
        assertThat(failed.get(0).brokerName()).isEqualTo("broker-ghost");
        assertThat(((MQException) failed.get(0).error()).reason()).isEqualTo(MQException.Reason.NO_ROUTE);
        assertThat(failed.get(0).error()).hasMessage("broker broker-ghost of topic 'Ghost' has no master address");
    }

    @Test
    void retryableRejectionIsRetriedOnTheOtherBroker() throws Exception {
        AtomicBoolean rejectedOnce = new AtomicBoolean();
        Function<RemotingCommand, Integer> firstSendGets14 = request -> rejectedOnce.compareAndSet(false, true) ? 14 : 0;
        FakeBroker a = broker("broker-a", firstSendGets14);
        FakeBroker b = broker("broker-b", firstSendGets14);
        FakeServer ns = nameServer(topic -> route(2, a, b), 0);
        Producer producer = producer(client(ns.address()), c -> c);

        SendResult result = producer.send(message("Retry", "x"));

        assertThat(result.status()).isEqualTo(SendStatus.SEND_OK);
        assertThat(a.sends()).hasSize(1);
        assertThat(b.sends()).hasSize(1);
        FakeBroker rejecting = Integer.valueOf(14).equals(a.firstSendCode) ? a : b;
        FakeBroker accepting = rejecting == a ? b : a;
        assertThat(rejecting.firstSendCode).isEqualTo(14);
        assertThat(accepting.firstSendCode).isEqualTo(0);
        assertThat(result.queue().brokerName()).isEqualTo(accepting.name);
        // The retry resends the same message: same UNIQ_KEY in the same properties.
        assertThat(accepting.sends().get(0).field("i")).isEqualTo(rejecting.sends().get(0).field("i"));
        assertThat(producer.stats().retries()).isEqualTo(1);
    }

    @Test
    void nonRetryableRejectionFailsAtOnceWithTheCodeAndRemark() throws Exception {
        FakeBroker a = broker("broker-a", request -> 13);
        FakeBroker b = broker("broker-b", request -> 13);
        FakeServer ns = nameServer(topic -> route(2, a, b), 0);
        Producer producer = producer(client(ns.address()), c -> c);

        MQException error = failure(producer.sendAsync(message("Rejected", "x")));

        assertThat(error.reason()).isEqualTo(MQException.Reason.BROKER_REJECTED);
        assertThat(error.responseCode()).isEqualTo(13);
        assertThat(error.remark()).isEqualTo("remark of 13");
        assertThat(error.getMessage()).contains("MESSAGE_ILLEGAL").contains("remark of 13").contains("'Rejected'");
        assertThat(a.sends().size() + b.sends().size()).isEqualTo(1);
        assertThat(producer.stats().retries()).isZero();
    }

    @Test
    void silentBrokerGivesTimeoutAtTheDeadlineAndNoRetry() throws Exception {
        AtomicBoolean answer = new AtomicBoolean(true);
        FakeBroker broker = broker("broker-a", request -> answer.get() ? 0 : null);
        FakeServer ns = nameServer(topic -> route(4, broker), 0);
        Producer producer = producer(client(ns.address()), b -> b.sendTimeout(Duration.ofMillis(500)));
        assertThat(producer.send(message("Silent", "warm-up")).isOk()).isTrue(); // route and connection ready
        answer.set(false);

        long start = System.nanoTime();
        assertThatThrownBy(() -> producer.send(message("Silent", "lost")))
                .isInstanceOfSatisfying(MQException.class,
                        e -> assertThat(e.reason()).isEqualTo(MQException.Reason.TIMEOUT));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(elapsedMs).isBetween(450L, 700L);
        // The outcome is final: a retry would have been decided before the future failed.
        assertThat(broker.sends()).extracting(FakeClusterTestBase::bodyOf).containsExactly("warm-up", "lost");
        assertThat(producer.inFlightRequests()).isZero();
    }

    @Test
    void aMessageTheBrokerRejectsAsIllegalDoesNotKeepSendsAwayFromThatBroker() throws Exception {
        Function<RemotingCommand, Integer> rejectsIllegal = r -> bodyOf(r).equals("illegal") ? 13 : 0;
        FakeBroker a = broker("broker-a", rejectsIllegal);
        FakeBroker b = broker("broker-b", rejectsIllegal);
        FakeServer ns = nameServer(topic -> route(1, a, b), 0);
        Producer producer = producer(client(ns.address()), c -> c);
        assertThat(producer.send(message("Judged", "warm")).isOk()).isTrue();

        MQException rejected = failure(producer.sendAsync(message("Judged", "illegal")));
        assertThat(rejected.responseCode()).isEqualTo(13);
        FakeBroker judged = a.sends().stream().anyMatch(r -> bodyOf(r).equals("illegal")) ? a : b;
        int before = judged.sends().size();
        for (int i = 0; i < 4; i++) {
            assertThat(producer.send(message("Judged", "next-" + i)).isOk()).isTrue();
        }
        assertThat(judged.sends().size() - before).as("round robin still includes the broker that judged the message")
                .isEqualTo(2);
    }

    @Test
    void aDeadlineThatPassedBeforeTheRequestWasWrittenDoesNotKeepSendsAwayFromTheBroker() throws Exception {
        Function<RemotingCommand, Integer> busyForRetryMe = r -> bodyOf(r).equals("retry-me") ? 14 : 0;
        FakeBroker a = broker("broker-a", busyForRetryMe);
        FakeBroker b = broker("broker-b", busyForRetryMe);
        FakeServer ns = nameServer(topic -> route(1, a, b), 0);
        Duration timeout = Duration.ofMillis(300);
        SendHook slowAfterFirstAttempt = new SendHook() {
            @Override
            public void afterSend(SendContext context) {
                if (!context.isFinalAttempt() && context.attempt() == 1) {
                    LockSupport.parkNanos(timeout.plusMillis(100).toNanos()); // the retry starts past the deadline
                }
            }
        };
        Producer producer = producer(client(ns.address()), c -> c.hook(slowAfterFirstAttempt));
        assertThat(producer.send(message("Late", "warm")).isOk()).isTrue();

        MQException late = failure(producer.sendAsync(message("Late", "retry-me"), timeout));
        assertThat(late.reason()).isEqualTo(MQException.Reason.TIMEOUT);
        FakeBroker busy = a.sends().stream().anyMatch(r -> bodyOf(r).equals("retry-me")) ? a : b;
        FakeBroker untried = busy == a ? b : a;
        assertThat(untried.sends()).extracting(FakeClusterTestBase::bodyOf).doesNotContain("retry-me");
        int before = untried.sends().size();
        for (int i = 0; i < 4; i++) {
            assertThat(producer.send(message("Late", "next-" + i)).isOk()).isTrue();
        }
        // The busy broker sits out its penalty; the one the retry never reached takes every send.
        assertThat(untried.sends().size() - before).isEqualTo(4);
    }
}
