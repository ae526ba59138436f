package dev.mq.interop;

import dev.mq.core.client.MQClientInstance;
import dev.mq.core.consumer.ConsumeFrom;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerConfig;
import dev.mq.core.consumer.PushConsumer;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One of our push consumers alone in a JVM, for tests that kill consumers: {@code nameServer group
 * topic commitIntervalMillis handlerMillis deliveryFile instanceName}. Every message handed to its
 * listener is appended to the delivery file as {@code messageId epochMillis} — one write per line,
 * before the listener returns — so what a SIGKILL interrupts is on disk: a message written there
 * was consumed (or was being consumed) by this process.
 *
 * <p>Line protocol (see {@code dev.mq.test.ChildJvm}): {@code READY} once the consumer started;
 * {@code COUNT} answers the deliveries so far, {@code QUEUES} how many queues it owns; {@code CLOSE}
 * closes the consumer gracefully and answers once it is closed; the JVM exits when its stdin closes.
 */
public final class ConsumerProcess {

    static final String PREFIX = "@@consumer ";

    private ConsumerProcess() {
    }

    public static void main(String[] args) throws Exception {
        String nameServer = args[0];
        String group = args[1];
        String topic = args[2];
        Duration commitInterval = Duration.ofMillis(Long.parseLong(args[3]));
        long handlerMillis = Long.parseLong(args[4]);
        FileOutputStream deliveries = new FileOutputStream(args[5], true);
        String instanceName = args[6];

        PrintStream out = System.out;
        AtomicLong count = new AtomicLong();
        MQClientInstance client = MQClientInstance.builder().nameServer(nameServer).instanceName(instanceName).build();
        client.start();
        PushConsumer consumer = client.newPushConsumer(ConsumerConfig.builder()
                .group(group)
                .subscribe(topic, "*")
                .consumeFrom(ConsumeFrom.FIRST_OFFSET)
                .commitInterval(commitInterval)
                .concurrency(4)
                .build(), message -> {
                    byte[] line = (message.messageId() + " " + System.currentTimeMillis() + "\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    synchronized (deliveries) {
                        deliveries.write(line);
                    }
                    count.incrementAndGet();
                    if (handlerMillis > 0) {
                        Thread.sleep(handlerMillis);
                    }
                    return ConsumeResult.SUCCESS;
                });
        consumer.start();
        out.println(PREFIX + "READY");
        out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line) {
                case "COUNT" -> out.println(PREFIX + "OK " + count.get());
                case "QUEUES" -> out.println(PREFIX + "OK " + consumer.assignedQueues().size());
                case "CLOSE" -> {
                    consumer.close();
                    client.close();
                    out.println(PREFIX + "OK " + count.get());
                }
                default -> out.println(PREFIX + "ERR unknown command " + line);
            }
            out.flush();
        }
        System.exit(0);
    }
}
