package dev.mq.benchmarks.ours;

import dev.mq.benchmarks.harness.BenchClient;
import dev.mq.benchmarks.harness.MessageSpec;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.producer.AutoBatching;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;

/** mq-core with its default settings (plus {@code AutoBatching.whenBusy()} in batched scenarios). */
public final class OursClient implements BenchClient {

    private MQClientInstance client;
    private Producer producer;

    @Override
    public void start(String nameServer, String group, boolean autoBatching) {
        client = MQClientInstance.builder().nameServer(nameServer).instanceName(group).build();
        client.start();
        producer = client.newProducer(ProducerConfig.builder().group(group)
                .autoBatching(autoBatching ? AutoBatching.whenBusy() : AutoBatching.off()).build());
    }

    private static Message message(String topic, byte[] body) {
        return OursMessages.message(topic, body);
    }

    @Override
    public void sendSync(String topic, byte[] body) {
        SendResult result = producer.send(message(topic, body));
        if (result.status() != SendStatus.SEND_OK) {
            throw new IllegalStateException("send status " + result.status());
        }
    }

    @Override
    public void sendAsync(String topic, byte[] body, long startNanos, Completion done) {
        producer.sendAsync(message(topic, body)).whenComplete((result, error) -> done.completed(startNanos,
                error != null || result.status() == SendStatus.SEND_OK ? error
                        : new IllegalStateException("send status " + result.status())));
    }

    @Override
    public void sendAsyncStamped(String topic, byte[] body, long sentAtMicros, long startNanos, Completion done) {
        Message m = Message.builder(topic).tags(MessageSpec.TAGS).keys(MessageSpec.KEYS)
                .property(MessageSpec.PROPERTY_NAME, MessageSpec.PROPERTY_VALUE)
                .property(MessageSpec.SENT_AT_PROPERTY, Long.toString(sentAtMicros)).body(body).build();
        producer.sendAsync(m).whenComplete((result, error) -> done.completed(startNanos,
                error != null || result.status() == SendStatus.SEND_OK ? error
                        : new IllegalStateException("send status " + result.status())));
    }

    @Override
    public void sendOneway(String topic, byte[] body) {
        producer.sendOneway(message(topic, body));
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
