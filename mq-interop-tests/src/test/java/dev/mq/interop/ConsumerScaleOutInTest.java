package dev.mq.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.test.ChildJvm;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three of our consumers in one group, each in a JVM of its own, while Apache's producer writes:
 * one added mid-stream, one killed (SIGKILL), one closed gracefully. Nothing is lost; a message is
 * delivered twice only if the killed consumer handled it within its last commit interval before it
 * died (what it had not committed yet), and nothing the gracefully closed one handled is delivered
 * again. The cluster is {@link ConsumerInteropTest}'s, started once for both.
 */
@WithEmbeddedRocketMQ(shared = true, brokerProperties = ConsumerInteropContract.SHORT_DELAY_LEVELS)
class ConsumerScaleOutInTest {

    static final String TOPIC = "InteropScale";
    private static final String GROUP = "interop-scale";
    private static final long COMMIT_INTERVAL_MILLIS = 1000;
    /**
     * Added to the commit interval when deciding whether a duplicate came from the killed consumer's
     * uncommitted window: a commit's round trip and the commit timer's own lateness on a busy machine.
     */
    private static final long COMMIT_SLACK_MILLIS = 1000;
    /** Messages per second the producer writes while consumers come and go. */
    private static final int RATE = 200;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    @BeforeAll
    static void createTopic(EmbeddedRocketMQ mq) {
        mq.createTopic(TOPIC, 8);
    }

    @Test
    void consumersAddedKilledAndClosedLoseNothingAndDuplicateOnlyTheKilledOnesUncommittedWindow(
            EmbeddedRocketMQ mq) throws Exception {
        // kept after the run (under target/): each consumer's log and deliveries explain a failure
        Path dir = Files.createDirectories(Path.of("target", "consumer-scale", Long.toString(System.currentTimeMillis())));
        Map<String, ChildJvm> children = new LinkedHashMap<>();
        Map<String, Path> files = new LinkedHashMap<>();
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        DefaultMQProducer producer = Apache.producer(mq.nameServerAddress(), "interop-scale-producer");
        Thread writer = new Thread(() -> {
            try {
                long next = System.nanoTime();
                for (int i = 0; producing.get(); i++) {
                    SendResult r = producer.send(new Message(TOPIC, "T", ("scale " + i).getBytes(StandardCharsets.UTF_8)));
                    if (r.getSendStatus() == SendStatus.SEND_OK) {
                        sent.add(r.getMsgId());
                    }
                    next += 1_000_000_000L / RATE;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        }, "scale-producer");
        long t0 = System.nanoTime();
        try {
            for (String name : List.of("killed", "closed")) {
                children.put(name, start(mq, name, dir, files));
            }
            for (ChildJvm child : children.values()) {
                child.awaitReady(STEP_TIMEOUT);
            }
            writer.start();
            phase(t0, "two started");
            awaitDeliveries(files, "killed", 100);
            awaitDeliveries(files, "closed", 100);

            long addedAt = System.currentTimeMillis();
            ChildJvm added = start(mq, "added", dir, files);
            children.put("added", added);
            added.awaitReady(STEP_TIMEOUT);
            awaitDeliveries(files, "added", 100);
            phase(t0, "added consumes");
            awaitDeliveries(files, "killed", deliveries(files, "killed") + 100);

            children.get("killed").kill();
            long killedAt = System.currentTimeMillis();
            int closedBefore = deliveries(files, "closed");
            int addedBefore = deliveries(files, "added");
            // the survivors take the killed one's queues over and go on
            awaitDeliveries(files, "closed", closedBefore + 200);
            awaitDeliveries(files, "added", addedBefore + 200);

            children.get("closed").call("CLOSE", STEP_TIMEOUT);
            long closedAt = System.currentTimeMillis();
            phase(t0, "closed");
            awaitDeliveries(files, "added", deliveries(files, "added") + 200);

            producing.set(false);
            writer.join(STEP_TIMEOUT.toMillis());
            assertThat(producerFailure.get()).as("producer failure").isNull();
            List<String> all = List.copyOf(sent);
            assertThat(all).hasSizeGreaterThan(1000);
            assertThat(Deliveries.await(() -> collect(files).ids().containsAll(all), STEP_TIMEOUT))
                    .as("every message sent was delivered").isTrue();
            Thread.sleep(2000); // a late duplicate would show now
            phase(t0, "all delivered");

            Deliveries deliveries = collect(files);
            assertThat(deliveries.ids()).containsAll(all);
            Map<String, Integer> counts = deliveries.countById();
            Set<String> duplicated = deliveries.duplicated();
            List<Deliveries.Delivery> byKilled = deliveries.by("killed");
            long windowStart = killedAt - COMMIT_INTERVAL_MILLIS - COMMIT_SLACK_MILLIS;
            Set<String> killedWindow = byKilled.stream().filter(d -> d.atMillis() >= windowStart)
                    .map(Deliveries.Delivery::messageId).collect(Collectors.toSet());
            Set<String> byClosed = deliveries.by("closed").stream().map(Deliveries.Delivery::messageId)
                    .collect(Collectors.toSet());
            System.out.printf("scale: sent %d, delivered %d, duplicated %d, killed one's last window %d, "
                            + "killed at +%d ms, closed at +%d ms%n", all.size(), deliveries.all().size(),
                    duplicated.size(), killedWindow.size(), killedAt, closedAt);

            long start = deliveries.all().stream().mapToLong(Deliveries.Delivery::atMillis).min().orElse(0);
            Map<String, List<String>> duplicates = new java.util.TreeMap<>();
            for (String id : duplicated) {
                duplicates.put(id, deliveries.all().stream().filter(d -> d.messageId().equals(id))
                        .sorted(Comparator.comparingLong(Deliveries.Delivery::atMillis))
                        .map(d -> d.consumer() + "@" + (d.atMillis() - start)).toList());
            }
            System.out.printf("scale: times in ms from the first delivery: added at %d, killed at %d, closed at %d;"
                    + " duplicates %s%n", addedAt - start, killedAt - start, closedAt - start, duplicates);
            assertThat(counts.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
            assertThat(duplicated).as("duplicates outside the killed consumer's uncommitted window (killed at %d): %s",
                    killedAt - start, duplicates).isSubsetOf(killedWindow);
            for (String id : duplicated) {
                List<Deliveries.Delivery> twice = deliveries.all().stream().filter(d -> d.messageId().equals(id))
                        .sorted(Comparator.comparingLong(Deliveries.Delivery::atMillis)).toList();
                assertThat(twice.get(0).consumer()).as("first delivery of duplicate %s", id).isEqualTo("killed");
                assertThat(twice.get(1).consumer()).as("second delivery of duplicate %s", id).isNotEqualTo("killed");
            }
            // nothing the gracefully closed consumer handled was handled again by anyone
            for (String id : byClosed) {
                assertThat(deliveries.all().stream().filter(d -> d.messageId().equals(id)))
                        .as("deliveries of %s, handled by the closed consumer", id)
                        .extracting(Deliveries.Delivery::consumer).containsOnlyOnce("closed")
                        .doesNotContain("added");
            }
            // and a message the killed one handled before its window is never delivered again
            assertThat(byKilled.stream().filter(d -> d.atMillis() < windowStart).map(Deliveries.Delivery::messageId))
                    .allSatisfy(id -> assertThat(counts.get(id)).as("deliveries of %s", id).isEqualTo(1));
        } finally {
            producing.set(false);
            writer.join(STEP_TIMEOUT.toMillis());
            producer.shutdown();
            for (ChildJvm child : children.values()) {
                child.kill();
            }
        }
    }

    private static ChildJvm start(EmbeddedRocketMQ mq, String name, Path dir, Map<String, Path> files) {
        Path file = dir.resolve(name + ".deliveries");
        files.put(name, file);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return ChildJvm.builder(name, ConsumerProcess.class.getName())
                .classpath(classpath)
                .jvmOptions(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=logback-child.xml"))
                .arguments(List.of(mq.nameServerAddress(), GROUP, TOPIC, Long.toString(COMMIT_INTERVAL_MILLIS), "0",
                        file.toString(), "scale-" + name))
                .replyPrefix(ConsumerProcess.PREFIX)
                .log(dir.resolve(name + ".log"))
                .start();
    }

    private static void phase(long t0, String what) {
        System.out.printf("scale: %s after %d ms%n", what, (System.nanoTime() - t0) / 1_000_000);
    }

    private static Deliveries collect(Map<String, Path> files) {
        Deliveries deliveries = new Deliveries();
        files.forEach((name, file) -> deliveries.addAll(Deliveries.readFile(name, file)));
        return deliveries;
    }

    private static int deliveries(Map<String, Path> files, String name) {
        return Deliveries.readFile(name, files.get(name)).size();
    }

    private static void awaitDeliveries(Map<String, Path> files, String name, int atLeast) {
        assertThat(Deliveries.await(() -> deliveries(files, name) >= atLeast, STEP_TIMEOUT))
                .as("%s delivered %d, wanted at least %d", name, deliveries(files, name), atLeast).isTrue();
    }
}
