package dev.mq.benchmarks.official;

import dev.mq.benchmarks.harness.BenchClient;
import dev.mq.benchmarks.harness.MessageSpec;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

/** Apache's {@code rocketmq-client} {@link DefaultMQProducer} with its default settings (plus its auto-batching in batched scenarios). */
public final class OfficialClient implements BenchClient {

    private DefaultMQProducer producer;

    @Override
    public void start(String nameServer, String group, boolean autoBatching) throws Exception {
        producer = new DefaultMQProducer(group);
        producer.setAutoBatch(autoBatching); // its ProduceAccumulator, with the default delay and sizes
        producer.setNamesrvAddr(nameServer);
        producer.setInstanceName(group);
        producer.start();
    }

    private static Message message(String topic, byte[] body) {
        Message m = new Message(topic, MessageSpec.TAGS, MessageSpec.KEYS, body);
        m.putUserProperty(MessageSpec.PROPERTY_NAME, MessageSpec.PROPERTY_VALUE);
        return m;
    }

    @Override
    public void sendSync(String topic, byte[] body) throws Exception {
        SendResult result = producer.send(message(topic, body));
        if (result.getSendStatus() != SendStatus.SEND_OK) {
            throw new IllegalStateException("send status " + result.getSendStatus());
        }
    }

    @Override
    public void sendAsync(String topic, byte[] body, long startNanos, Completion done) throws Exception {
        producer.send(message(topic, body), new SendCallback() {
            @Override
            public void onSuccess(SendResult result) {
                done.completed(startNanos, result.getSendStatus() == SendStatus.SEND_OK ? null
                        : new IllegalStateException("send status " + result.getSendStatus()));
            }

            @Override
            public void onException(Throwable e) {
                done.completed(startNanos, e);
            }
        });
    }

    @Override
    public void sendAsyncStamped(String topic, byte[] body, long sentAtMicros, long startNanos, Completion done)
            throws Exception {
        Message m = message(topic, body);
        m.putUserProperty(MessageSpec.SENT_AT_PROPERTY, Long.toString(sentAtMicros));
        producer.send(m, new SendCallback() {
            @Override
            public void onSuccess(SendResult result) {
                done.completed(startNanos, result.getSendStatus() == SendStatus.SEND_OK ? null
                        : new IllegalStateException("send status " + result.getSendStatus()));
            }

            @Override
            public void onException(Throwable e) {
                done.completed(startNanos, e);
            }
        });
    }

    @Override
    public void sendOneway(String topic, byte[] body) throws Exception {
        producer.sendOneway(message(topic, body));
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.shutdown();
        }
    }
}
