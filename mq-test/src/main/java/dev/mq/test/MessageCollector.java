package dev.mq.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a listener under test received, in arrival order, and a bounded wait for it: a test waits for
 * N messages (or any condition over them) instead of sleeping. Thread-safe; handlers on many threads
 * may add at once.
 *
 * <pre>{@code
 * static final MessageCollector<Order> ORDERS = new MessageCollector<>();
 *
 * @MQListener(topic = "Orders", group = "billing")
 * void onOrder(Order order) { ORDERS.add(order); }
 *
 * @Test
 * void receives() {
 *     template.syncSend("Orders", new Order("o-1"));
 *     assertThat(ORDERS.await(1, Duration.ofSeconds(30))).containsExactly(new Order("o-1"));
 * }
 * }</pre>
 *
 * @param <T> what the listener records (payloads, message ids, ...)
 */
public final class MessageCollector<T> {

    private final List<T> received = new ArrayList<>();

    /** Records {@code item} and wakes the waiting test. */
    public void add(T item) {
        synchronized (received) {
            received.add(Objects.requireNonNull(item, "item"));
            received.notifyAll();
        }
    }

    /** Everything recorded so far, in arrival order. */
    public List<T> all() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many items were recorded. */
    public int count() {
        synchronized (received) {
            return received.size();
        }
    }

    /** Forgets everything recorded (between the tests of a class sharing one listener). */
    public void clear() {
        synchronized (received) {
            received.clear();
        }
    }

    /**
     * Waits until at least {@code count} items were recorded.
     *
     * @return everything recorded by then (possibly more than {@code count})
     * @throws AssertionError naming what arrived if {@code timeout} passes first
     */
    public List<T> await(int count, Duration timeout) {
        return awaitUntil(items -> items.size() >= count, "at least " + count + " items", timeout);
    }

    /**
     * Waits until {@code condition} holds for the items recorded (checked on every arrival).
     *
     * @return everything recorded when it held
     * @throws AssertionError naming {@code description} and what arrived if {@code timeout} passes first
     */
    public List<T> awaitUntil(Predicate<List<T>> condition, String description, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (!condition.test(List.copyOf(received))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("waited " + timeout.toMillis() + " ms for " + description + "; received "
                            + received.size() + ": " + received);
                }
                try {
                    received.wait(Math.max(1, left / 1_000_000), 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + description, e);
                }
            }
            return List.copyOf(received);
        }
    }
}
