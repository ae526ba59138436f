package dev.mq.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.internal.consume.DefaultPushConsumer;
import dev.mq.core.internal.send.DefaultProducer;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Request-reply between our requester and our responder through a real broker. A contract that a
 * class with a running cluster implements ({@link ConsumerIntegrationTest} on 5.x and, through it,
 * {@link ConsumerIntegration49Test} on 4.9), so that it costs no cluster of its own. Each test has its
 * own topic, groups and requester client; the responder is a push consumer that replies with
 * {@link Producer#reply} through a producer of another client.
 */
interface RequestReplyIntegrationContract {

    Duration WAIT = Duration.ofSeconds(60);

    /** A started requester client (its own client id, so replies are routed to it, not to the responder). */
    static MQClientInstance requesterClient(EmbeddedRocketMQ mq) {
        MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress()).build();
        client.start();
        return client;
    }

    static Producer requester(MQClientInstance client, String group) {
        return client.newProducer(ProducerConfig.builder().group(group).sendTimeout(Duration.ofSeconds(15))
                .maxInFlightRequests(2_000).build());
    }

    /**
     * A started responder on {@code topic}: replies {@code re:<body>} (with the request's {@code index}
     * property) through {@code replier}, and acknowledges the request once the broker took the reply.
     */
    static PushConsumer responder(MQClientInstance client, Producer replier, String topic, String group) {
        PushConsumer consumer = client.newPushConsumer(ConsumerConfig.builder().group(group).subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.FIRST_OFFSET).concurrency(8).build(), request -> {
                    if (!request.isRequest()) {
                        return ConsumeResult.SUCCESS;
                    }
                    Message.Builder reply = Message.builder(topic).body("re:" + new String(request.body(),
                            StandardCharsets.UTF_8));
                    String index = request.property("index");
                    if (index != null) {
                        reply.property("index", index);
                    }
                    replier.reply(request, reply.build()).join();
                    return ConsumeResult.SUCCESS;
                });
        ((DefaultPushConsumer) consumer).rebalanceInterval(Duration.ofSeconds(2));
        consumer.start();
        return consumer;
    }

    static String text(ReceivedMessage message) {
        return new String(message.body(), StandardCharsets.UTF_8);
    }

    /** The client and producer the responder replies through (the implementing class's). */
    MQClientInstance responderClient();

    Producer replier();

    @Test
    default void everyOneOfAThousandConcurrentRequestsGetsItsOwnReply(EmbeddedRocketMQ mq) throws Exception {
        String topic = "RequestReplyTopic";
        mq.createTopic(topic, 4);
        MQClientInstance requesterClient = requesterClient(mq);
        try (PushConsumer ignored = responder(responderClient(), replier(), topic, "rr-responders")) {
            Producer requester = requester(requesterClient, "rr-requesters");

            ReceivedMessage first = requester.request(Message.builder(topic).body("hello").property("index", "-1")
                    .build(), WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(text(first)).isEqualTo("re:hello");
            assertThat(first.isReply()).isTrue();
            assertThat(first.correlationId()).isNotBlank();
            assertThat(first.property("index")).isEqualTo("-1");
            assertThat(first.topic()).endsWith("_REPLY_TOPIC");

            List<CompletableFuture<ReceivedMessage>> replies = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                replies.add(requester.request(Message.builder(topic).body("q" + i).property("index", Integer.toString(i))
                        .build(), WAIT));
            }
            for (int i = 0; i < replies.size(); i++) {
                ReceivedMessage reply = replies.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(text(reply)).as("reply %d", i).isEqualTo("re:q" + i);
                assertThat(reply.property("index")).isEqualTo(Integer.toString(i));
            }
            assertThat(((DefaultProducer) requester).pendingRequests()).isZero();
        } finally {
            requesterClient.close();
        }
    }

    @Test
    default void aRequestNobodyAnswersFailsWithTimeoutAtItsDeadline(EmbeddedRocketMQ mq) throws Exception {
        String topic = "UnansweredRequests";
        mq.createTopic(topic, 1);
        // Completions run where the deadline fires (the timer thread): the time measured is the deadline's,
        // not also a hop to a callback thread on a machine other builds keep busy.
        MQClientInstance requesterClient = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .callbackExecutor(Runnable::run).build();
        requesterClient.start();
        try {
            Producer requester = requester(requesterClient, "rr-unanswered");
            // Warm the route and the brokers' knowledge of this client: the deadline is measured alone.
            requester.send(Message.builder(topic).body("warm-up").build());
            Duration timeout = Duration.ofMillis(1_500);
            AtomicLong failedAt = new AtomicLong();
            long start = System.nanoTime();
            CompletableFuture<ReceivedMessage> reply = requester.request(Message.builder(topic).body("anyone?").build(),
                    timeout);
            // Waited on through the stage that notes the time: get() on the reply itself may return first.
            CompletableFuture<ReceivedMessage> noted = reply.whenComplete((r, e) -> failedAt.set(System.nanoTime()));
            assertThatThrownBy(() -> noted.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(MQException.class,
                            e -> assertThat(e.reason()).isEqualTo(MQException.Reason.TIMEOUT));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(failedAt.get() - start);
            assertThat(tookMillis).isBetween(timeout.toMillis() - 50, timeout.toMillis() + 50);
        } finally {
            requesterClient.close();
        }
    }

    @Test
    default void closingTheRequesterFailsItsWaitingRequestsWithShutdown(EmbeddedRocketMQ mq) throws Exception {
        String topic = "AbandonedRequests";
        mq.createTopic(topic, 1);
        MQClientInstance requesterClient = requesterClient(mq);
        try {
            Producer requester = requester(requesterClient, "rr-closing");
            CompletableFuture<ReceivedMessage> reply = requester.request(Message.builder(topic).body("bye").build(), WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!sent(requester)) { // stored at the broker, waiting for its reply
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            requester.close();
            assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(MQException.class,
                            e -> assertThat(e.reason()).isEqualTo(MQException.Reason.SHUTDOWN));
        } finally {
            requesterClient.close();
        }
    }

    /** Whether the requester's one request has left: nothing in flight while it still waits for a reply. */
    private static boolean sent(Producer requester) {
        return ((DefaultProducer) requester).pendingRequests() == 1 && requester.inFlightRequests() == 0;
    }

    @Test
    default void aResponderStartedAfterTheRequestAnswersItWithinItsTtl(EmbeddedRocketMQ mq) throws Exception {
        String topic = "EarlyRequests";
        mq.createTopic(topic, 2);
        MQClientInstance requesterClient = requesterClient(mq);
        try {
            Producer requester = requester(requesterClient, "rr-early");
            CompletableFuture<ReceivedMessage> reply = requester.request(Message.builder(topic).body("first").build(),
                    WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!sent(requester)) { // the request waits in the topic: nobody consumes it yet
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(reply).isNotDone();
            try (PushConsumer ignored = responder(responderClient(), replier(), topic, "rr-late-responders")) {
                assertThat(text(reply.get(WAIT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("re:first");
            }
        } finally {
            requesterClient.close();
        }
    }
}
