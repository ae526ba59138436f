package dev.mq.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Every delivery the consumers of a test made, whoever made it: which consumer, which message id,
 * and when (wall-clock milliseconds, comparable across the JVMs of one machine). Thread-safe.
 */
final class Deliveries {

    /** One message handed to one consumer's listener. */
    record Delivery(String consumer, String messageId, long atMillis) {
    }

    private final ConcurrentLinkedQueue<Delivery> all = new ConcurrentLinkedQueue<>();

    void add(String consumer, String messageId) {
        all.add(new Delivery(consumer, messageId, System.currentTimeMillis()));
    }

    void addAll(Collection<Delivery> deliveries) {
        all.addAll(deliveries);
    }

    List<Delivery> all() {
        return List.copyOf(all);
    }

    List<Delivery> by(String consumer) {
        return all.stream().filter(d -> d.consumer().equals(consumer)).toList();
    }

    /** Deliveries per message id. */
    Map<String, Integer> countById() {
        Map<String, Integer> counts = new HashMap<>();
        for (Delivery d : all) {
            counts.merge(d.messageId(), 1, Integer::sum);
        }
        return counts;
    }

    Set<String> ids() {
        return all.stream().map(Delivery::messageId).collect(Collectors.toSet());
    }

    /** Ids delivered more than once, in total over all consumers. */
    Set<String> duplicated() {
        return countById().entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Waits until every id of {@code expected} was delivered at least once; true if so within {@code timeout}. */
    boolean awaitAll(Collection<String> expected, Duration timeout) {
        Set<String> wanted = new HashSet<>(expected);
        return await(() -> ids().containsAll(wanted), timeout);
    }

    /** Polls {@code condition} every 50 ms until it holds (true) or {@code timeout} passed (false). */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * The deliveries a {@link ConsumerProcess} wrote to {@code file} (lines {@code messageId millis}),
     * under {@code consumer}. A last line cut short by a kill is left out.
     */
    static List<Delivery> readFile(String consumer, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Delivery> read = new ArrayList<>(lines.size());
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && !parts[1].isEmpty()) {
                read.add(new Delivery(consumer, parts[0], Long.parseLong(parts[1])));
            }
        }
        return read;
    }
}
