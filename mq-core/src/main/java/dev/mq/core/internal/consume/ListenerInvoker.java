package dev.mq.core.internal.consume;

import dev.mq.core.Clock;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.BatchResult;
import dev.mq.core.consumer.ConsumeHook;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the application's listener, whichever its form, on the calling handler thread, with the hooks
 * around each message exactly once, and turns whatever it does into one result per message: an
 * exception, a failed stage or a null means RETRY (logged). Hooks that throw are logged and ignored.
 */
final class ListenerInvoker {

    private static final Logger log = LoggerFactory.getLogger(ListenerInvoker.class);

    private final String group;
    private final ConsumerListener listener;
    private final List<ConsumeHook> hooks;
    private final Clock clock;

    ListenerInvoker(String group, ConsumerListener listener, List<ConsumeHook> hooks, Clock clock) {
        this.group = group;
        this.listener = listener;
        this.hooks = hooks;
        this.clock = clock;
    }

    /** Messages per listener call: the batch size for a batch listener, else one. */
    int messagesPerCall(int batchSize) {
        return listener.kind() == ConsumerListener.Kind.BATCH ? batchSize : 1;
    }

    /**
     * Handles {@code batch} (one message unless the listener takes batches).
     *
     * @return one result per message, in order; completed already unless the listener is asynchronous
     */
    CompletionStage<List<ConsumeResult>> invoke(List<ReceivedMessage> batch) {
        if (hooks.isEmpty()) { // nobody to tell: no contexts, no handler time
            return switch (listener.kind()) {
                case MESSAGE -> CompletableFuture.completedFuture(single(batch.get(0)).results());
                case BATCH -> CompletableFuture.completedFuture(batch(batch).results());
                case ASYNC -> async(batch.get(0)).thenApply(Outcome::results);
            };
        }
        List<HookContext> contexts = new ArrayList<>(batch.size());
        for (ReceivedMessage m : batch) {
            HookContext context = new HookContext(group, m);
            contexts.add(context);
            for (ConsumeHook hook : hooks) {
                try {
                    hook.beforeConsume(context);
                } catch (RuntimeException e) {
                    log.warn("consume hook {} failed before {}", hook, m.messageId(), e);
                }
            }
        }
        long start = clock.nanoTime();
        return switch (listener.kind()) {
            case MESSAGE -> CompletableFuture.completedFuture(finish(contexts, start, single(batch.get(0))));
            case BATCH -> CompletableFuture.completedFuture(finish(contexts, start, batch(batch)));
            case ASYNC -> async(batch.get(0)).thenApply(outcome -> finish(contexts, start, outcome));
        };
    }

    /** Results per message, and the error behind them if any. */
    record Outcome(List<ConsumeResult> results, @Nullable Throwable error) {
    }

    private Outcome single(ReceivedMessage message) {
        try {
            ConsumeResult result = listener.messageListener().consume(message);
            if (result == null) {
                log.warn("listener of group {} returned null for {}: it is retried", group, message.messageId());
                return new Outcome(List.of(ConsumeResult.RETRY), null);
            }
            return new Outcome(List.of(result), null);
        } catch (Exception | Error e) {
            rethrowFatal(e);
            log.warn("listener of group {} failed on {}: it is retried", group, message.messageId(), e);
            return new Outcome(List.of(ConsumeResult.RETRY), e);
        }
    }

    private Outcome batch(List<ReceivedMessage> messages) {
        BatchResult result;
        Throwable error = null;
        try {
            result = listener.batchListener().consume(messages);
            if (result == null) {
                log.warn("batch listener of group {} returned null for {} messages: all are retried", group,
                        messages.size());
                result = BatchResult.retryAll();
            }
        } catch (Exception | Error e) {
            rethrowFatal(e);
            log.warn("batch listener of group {} failed on {} messages: all are retried", group, messages.size(), e);
            result = BatchResult.retryAll();
            error = e;
        }
        return new Outcome(resultsOf(result, messages.size()), error);
    }

    /** One result per message of a batch of {@code size}. */
    static List<ConsumeResult> resultsOf(BatchResult result, int size) {
        List<ConsumeResult> results = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            results.add(result.resultOf(i));
        }
        return results;
    }

    private CompletionStage<Outcome> async(ReceivedMessage message) {
        CompletionStage<ConsumeResult> stage;
        try {
            stage = listener.asyncListener().consume(message);
        } catch (RuntimeException | Error e) {
            rethrowFatal(e);
            log.warn("async listener of group {} failed on {}: it is retried", group, message.messageId(), e);
            return CompletableFuture.completedFuture(new Outcome(List.of(ConsumeResult.RETRY), e));
        }
        if (stage == null) {
            log.warn("async listener of group {} returned a null stage for {}: it is retried", group,
                    message.messageId());
            return CompletableFuture.completedFuture(new Outcome(List.of(ConsumeResult.RETRY), null));
        }
        return stage.handle((result, error) -> {
            if (error != null) {
                log.warn("async listener of group {} failed on {}: it is retried", group, message.messageId(), error);
                return new Outcome(List.of(ConsumeResult.RETRY), error);
            }
            return new Outcome(List.of(result == null ? ConsumeResult.RETRY : result), null);
        });
    }

    private List<ConsumeResult> finish(List<HookContext> contexts, long start, Outcome outcome) {
        Duration took = Duration.ofNanos(clock.nanoTime() - start);
        for (int i = 0; i < contexts.size(); i++) {
            HookContext context = contexts.get(i);
            context.finished(outcome.results().get(i), outcome.error(), took);
            for (ConsumeHook hook : hooks) {
                try {
                    hook.afterConsume(context);
                } catch (RuntimeException e) {
                    log.warn("consume hook {} failed after {}", hook, context.message().messageId(), e);
                }
            }
        }
        return outcome.results();
    }

    private static void rethrowFatal(Throwable e) {
        if (e instanceof VirtualMachineError fatal) {
            throw fatal;
        }
    }
}
