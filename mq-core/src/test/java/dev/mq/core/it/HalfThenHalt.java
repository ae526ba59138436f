package dev.mq.core.it;

import dev.mq.core.Message;
import dev.mq.core.client.MQClientInstance;
import dev.mq.core.producer.Producer;
import dev.mq.core.producer.ProducerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A producer process that dies between half and end: {@code BEGIN nameServer group topic body}
 * stores a half message, answers its transaction id and halts the JVM at once — no end, no
 * unregistering, no orderly close of its connections.
 */
public final class HalfThenHalt {

    static final String PREFIX = "@@tx ";

    private HalfThenHalt() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        out.println(PREFIX + "READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.split(" ");
            if (!words[0].equals("BEGIN")) {
                out.println(PREFIX + "ERR unknown " + words[0]);
                continue;
            }
            MQClientInstance client = MQClientInstance.builder().nameServer(words[1]).instanceName("halting").build();
            client.start();
            Producer producer = client.newProducer(ProducerConfig.builder().group(words[2]).build());
            String id = producer.beginTransaction(Message.builder(words[3]).body(words[4]).build())
                    .get(30, TimeUnit.SECONDS).transactionId();
            out.println(PREFIX + "OK " + id);
            out.flush();
            Runtime.getRuntime().halt(1);
        }
    }
}
