package dev.mq.core.it.faults;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import dev.mq.core.SendResult;
import dev.mq.core.producer.Producer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issues async sends and records, for each, when it was called, its deadline and when its future
 * completed, so a test can say how late the latest completion was. Thread-safe.
 */
final class TimedSends {

    /** One send: nanoTime values of the call, its deadline and its completion, and how it ended. */
    record Outcome(String body, long startNanos, long deadlineNanos, long doneNanos, SendResult result,
                   Throwable error) {

        boolean ok() {
            return result != null;
        }

        /** Completion minus deadline, in ms (negative: early). */
        double latenessMillis() {
            return (doneNanos - deadlineNanos) / 1e6;
        }

        double elapsedMillis() {
            return (doneNanos - startNanos) / 1e6;
        }

        MQException.Reason reason() {
            return error instanceof MQException mq ? mq.reason() : null;
        }
    }

    private final ConcurrentLinkedQueue<CompletableFuture<Outcome>> futures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger succeeded = new AtomicInteger();

    /** Calls {@code producer.sendAsync(message, timeout)} and records its outcome, labelled with the (text) body. */
    CompletableFuture<Outcome> send(Producer producer, Message message, Duration timeout) {
        return send(producer, message, timeout, new String(message.body(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The same with a label of the caller's choosing (null for none: large bodies are not worth keeping). */
    CompletableFuture<Outcome> send(Producer producer, Message message, Duration timeout, String body) {
        long start = System.nanoTime();
        CompletableFuture<SendResult> future;
        try {
            future = producer.sendAsync(message, timeout);
        } catch (RuntimeException e) { // sendAsync must report through its future, but record it anyway
            future = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Outcome> outcome = future.handle((result, error) -> {
            long done = System.nanoTime();
            if (result != null) {
                succeeded.incrementAndGet();
            }
            return new Outcome(body, start, start + timeout.toNanos(), done, result, unwrap(error));
        });
        futures.add(outcome);
        issued.incrementAndGet();
        return outcome;
    }

    int issued() {
        return issued.get();
    }

    int succeeded() {
        return succeeded.get();
    }

    /** Waits at most {@code bound} for every recorded send; fails naming how many never completed. */
    List<Outcome> awaitAll(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        List<Outcome> outcomes = new ArrayList<>();
        int pending = 0;
        for (CompletableFuture<Outcome> f : futures) {
            try {
                outcomes.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (java.util.concurrent.TimeoutException e) {
                pending++;
            } catch (Exception e) {
                throw new AssertionError("outcome recording failed", e);
            }
        }
        if (pending > 0) {
            throw new AssertionError(pending + " of " + futures.size() + " send futures did not complete within "
                    + bound);
        }
        return outcomes;
    }

    static Map<MQException.Reason, Integer> reasons(List<Outcome> outcomes) {
        Map<MQException.Reason, Integer> counts = new EnumMap<>(MQException.Reason.class);
        for (Outcome o : outcomes) {
            if (!o.ok() && o.reason() != null) {
                counts.merge(o.reason(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Failures grouped by reason and message, digits masked: {@code {CONNECTION: cannot connect to N.N.N.N:N...=12}}. */
    static Map<String, Long> errorKinds(List<Outcome> outcomes) {
        Map<String, Long> kinds = new java.util.TreeMap<>();
        for (Outcome o : outcomes) {
            if (!o.ok()) {
                String message = String.valueOf(o.error() == null ? null : o.error().getMessage())
                        .replaceAll("[0-9]+", "N");
                String kind = o.reason() + ": " + (message.length() > 80 ? message.substring(0, 80) + "..." : message);
                kinds.merge(kind, 1L, Long::sum);
            }
        }
        return kinds;
    }

    static double maxLatenessMillis(List<Outcome> outcomes) {
        return outcomes.stream().mapToDouble(Outcome::latenessMillis).max().orElse(Double.NEGATIVE_INFINITY);
    }

    /** The {@code p}-th percentile (0..100) of the time from call to completion, in ms. */
    static double elapsedPercentile(List<Outcome> outcomes, double p) {
        double[] sorted = outcomes.stream().mapToDouble(Outcome::elapsedMillis).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
