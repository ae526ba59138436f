package dev.mq.core.producer;

import dev.mq.core.Message;
import dev.mq.core.client.MQClientInstance;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Times the first send after {@code start()} in a fresh JVM. The fake NameServer and broker run in a
 * child JVM, warmed up before the timing starts (as long-running servers are), so that only the
 * client starts cold. Run (after {@code mvn -pl mq-core
 * test-compile} and {@code dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}):
 * {@code java -cp mq-core/target/test-classes:mq-core/target/classes:$(cat cp.txt)
 * dev.mq.core.producer.FirstSendLatency}; each run is one fresh JVM.
 */
public final class FirstSendLatency {

    private FirstSendLatency() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            serve();
            return;
        }
        Process servers = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), FirstSendLatency.class.getName(), "serve")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(servers.getInputStream(),
                    StandardCharsets.UTF_8));
            String nameServer = out.readLine();
            // An application has its logging set up before it starts a client: not part of the figures.
            org.slf4j.LoggerFactory.getLogger(FirstSendLatency.class).debug("logging ready");
            long tb = System.nanoTime();
            MQClientInstance client = MQClientInstance.builder().nameServer(nameServer).build();
            long t0 = System.nanoTime();
            client.start();
            long t1 = System.nanoTime();
            Producer producer = client.newProducer(ProducerConfig.builder().group("first-send").build());
            long t2 = System.nanoTime();
            boolean ok = producer.send(Message.builder("FirstSend").body("first").build(), Duration.ofSeconds(10)).isOk();
            long t3 = System.nanoTime();
            producer.send(Message.builder("FirstSend").body("second").build());
            long t4 = System.nanoTime();
            producer.send(Message.builder("OtherTopic").body("third").build());
            long t5 = System.nanoTime();
            System.out.printf("build=%.1f ms start=%.1f ms newProducer=%.1f ms firstSend=%.1f ms (ok=%s) secondSend=%.1f ms "
                            + "firstSendOtherTopic=%.1f ms%n", ms(t0 - tb), ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ok, ms(t4 - t3),
                    ms(t5 - t4));
            client.close();
        } finally {
            servers.getOutputStream().close();
            servers.waitFor(10, TimeUnit.SECONDS);
            servers.destroy();
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** A fake NameServer and broker; prints the NameServer address, stops when stdin closes. */
    private static void serve() throws Exception {
        try (FakeCluster cluster = new FakeCluster()) {
            FakeBroker broker = cluster.broker("broker-a");
            String ns = cluster.nameServer(topic -> FakeCluster.route(4, broker), 0).address();
            // Warm the servers, as a running NameServer and broker are: only the client starts cold.
            try (MQClientInstance warmUp = MQClientInstance.builder().nameServer(ns).build()) {
                warmUp.start();
                Producer producer = warmUp.newProducer(ProducerConfig.builder().group("warm-up").build());
                for (int i = 0; i < 200; i++) {
                    producer.send(Message.builder("WarmUp" + (i % 20)).body("w").build());
                }
            }
            System.out.println(ns);
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to finish
            }
        }
    }
}
