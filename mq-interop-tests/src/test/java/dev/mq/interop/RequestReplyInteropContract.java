package dev.mq.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.ReceivedMessage;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.PushConsumer;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import dev.mq.test.EmbeddedRocketMQ;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.utils.MessageUtil;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/**
 * Request-reply between our client and Apache RocketMQ's, on a real broker, both ways: our
 * requester answered by Apache's push consumer replying with its own reply utility
 * ({@code MessageUtil.createReplyMessage} and a producer), and Apache's requester
 * ({@code DefaultMQProducer.request}) answered by our responder ({@link Producer#reply}). The
 * consumer interop classes implement it, so it runs on their clusters, on both release lines.
 */
interface RequestReplyInteropContract {

    Duration WAIT = Duration.ofSeconds(30);
    int REQUESTS = 20;

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Test
    default void ourRequesterIsAnsweredByApachesResponder(EmbeddedRocketMQ mq) throws Exception {
        String topic = "InteropRequestsToApache";
        mq.createTopic(topic, 2);
        DefaultMQProducer replier = Apache.producer(mq.nameServerAddress(), "interop-apache-replier");
        DefaultMQPushConsumer responder = Apache.pushConsumer(mq.nameServerAddress(), "interop-apache-responders", topic,
                (messages, context) -> {
                    try {
                        for (MessageExt request : messages) {
                            Message reply = MessageUtil.createReplyMessage(request,
                                    ("apache:" + text(request.getBody())).getBytes(StandardCharsets.UTF_8));
                            reply.putUserProperty("answeredBy", "apache");
                            replier.send(reply);
                        }
                        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                    } catch (Exception e) {
                        return ConsumeConcurrentlyStatus.RECONSUME_LATER;
                    }
                });
        responder.start();
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .instanceName("interop-requester").build()) {
            client.start();
            Producer requester = client.newProducer(ProducerConfig.builder().group("interop-our-requesters").build());
            List<CompletableFuture<ReceivedMessage>> replies = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                replies.add(requester.request(dev.mq.core.Message.builder(topic).body("q" + i).build(), WAIT));
            }
            for (int i = 0; i < REQUESTS; i++) {
                ReceivedMessage reply = replies.get(i).get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
                assertThat(text(reply.body())).as("reply %d", i).isEqualTo("apache:q" + i);
                assertThat(reply.isReply()).isTrue();
                assertThat(reply.correlationId()).isNotBlank();
                assertThat(reply.property("answeredBy")).isEqualTo("apache");
            }
        } finally {
            responder.shutdown();
            replier.shutdown();
        }
    }

    @Test
    default void apachesRequesterIsAnsweredByOurResponder(EmbeddedRocketMQ mq) throws Exception {
        String topic = "InteropRequestsToUs";
        mq.createTopic(topic, 2);
        DefaultMQProducer requester = Apache.producer(mq.nameServerAddress(), "interop-apache-requesters");
        try (MQClientInstance client = MQClientInstance.builder().nameServer(mq.nameServerAddress())
                .instanceName("interop-responder").build()) {
            client.start();
            Producer replier = client.newProducer(ProducerConfig.builder().group("interop-our-replier").build());
            PushConsumer responder = client.newPushConsumer(ConsumerConfig.builder().group("interop-our-responders")
                    .subscribe(topic, "*").consumeFrom(ConsumeFrom.FIRST_OFFSET).build(), request -> {
                        if (request.isRequest()) {
                            replier.reply(request, dev.mq.core.Message.builder(topic)
                                    .body("ours:" + text(request.body())).property("answeredBy", "ours").build())
                                    .join();
                        }
                        return ConsumeResult.SUCCESS;
                    });
            responder.start();
            for (int i = 0; i < REQUESTS; i++) {
                Message request = new Message(topic, ("q" + i).getBytes(StandardCharsets.UTF_8));
                Message reply = requester.request(request, WAIT.toMillis());
                assertThat(reply).as("reply %d", i).isNotNull();
                assertThat(text(reply.getBody())).isEqualTo("ours:q" + i);
                assertThat(reply.getProperty(MessageConst.PROPERTY_CORRELATION_ID))
                        .isEqualTo(request.getProperty(MessageConst.PROPERTY_CORRELATION_ID));
                assertThat(reply.getProperty(MessageConst.PROPERTY_MESSAGE_TYPE)).isEqualTo("reply");
                assertThat(reply.getUserProperty("answeredBy")).isEqualTo("ours");
            }
        } finally {
            requester.shutdown();
        }
    }
}
