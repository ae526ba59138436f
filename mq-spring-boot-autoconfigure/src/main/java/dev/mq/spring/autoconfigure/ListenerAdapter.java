package dev.mq.spring.autoconfigure;

import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.BatchResult;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerListener;
import dev.mq.spring.listener.BatchListenerFailedException;
import dev.mq.spring.listener.MQListenerErrorHandler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link ListenerMethod} into the engine's listener: resolves the arguments, calls the
 * method, and maps what it returned or threw to the engine's outcome, through the error handler.
 *
 * <p>A message whose payload (or a required header) cannot be made is handed back once and
 * dead-lettered on its next delivery: a body that cannot be read will not become readable by waiting
 * through sixteen delay levels.
 *
 * <p>A method's return value other than a {@link ConsumeResult} (directly or as a
 * {@link CompletionStage}'s value) is the reply when the message is a request
 * ({@link ReceivedMessage#isRequest()}): it is sent through the {@link ListenerReplier} before the
 * message counts as consumed. For other messages the value is ignored.
 */
final class ListenerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ListenerAdapter.class);

    private final String id;
    private final String group;
    private final ListenerMethod method;
    private final @Nullable MQListenerErrorHandler errorHandler;
    private final ReceiveObserver observer;
    private final ListenerReplier replier;

    ListenerAdapter(String id, String group, ListenerMethod method, @Nullable MQListenerErrorHandler errorHandler,
                    ReceiveObserver observer, ListenerReplier replier) {
        this.id = id;
        this.group = group;
        this.method = method;
        this.errorHandler = errorHandler;
        this.observer = observer;
        this.replier = replier;
    }

    /** The engine's form of this listener. */
    ConsumerListener consumerListener() {
        if (method.isBatch()) {
            return ConsumerListener.batch(this::consumeBatch);
        }
        if (method.result() == ListenerMethod.ResultKind.STAGE) {
            return ConsumerListener.async(this::consumeAsync);
        }
        return ConsumerListener.of(this::consume);
    }

    ConsumeResult consume(ReceivedMessage message) {
        @Nullable Object[] args;
        try {
            args = method.arguments(message);
        } catch (ListenerMethod.ConversionFailure e) {
            return conversionFailed(message, e);
        }
        ReceiveObserver.Scope scope = observer.start(id, group, message);
        ConsumeResult result;
        Throwable error = null;
        try (AutoCloseable ignored = scope.open()) {
            Object returned = method.invoke(args);
            result = method.result() == ListenerMethod.ResultKind.CONSUME_RESULT
                    ? (returned == null ? ConsumeResult.RETRY : (ConsumeResult) returned)
                    : ConsumeResult.SUCCESS;
            if (method.result() == ListenerMethod.ResultKind.REPLY) {
                reply(message, returned).join(); // on the handler thread: the message is done once replied
            }
        } catch (Throwable t) {
            error = t;
            result = failed(message, t);
        }
        scope.stop(tag(result), error);
        return result;
    }

    CompletionStage<ConsumeResult> consumeAsync(ReceivedMessage message) {
        @Nullable Object[] args;
        try {
            args = method.arguments(message);
        } catch (ListenerMethod.ConversionFailure e) {
            return CompletableFuture.completedFuture(conversionFailed(message, e));
        }
        ReceiveObserver.Scope scope = observer.start(id, group, message);
        CompletionStage<?> stage;
        try (AutoCloseable ignored = scope.open()) {
            stage = (CompletionStage<?>) method.invoke(args);
        } catch (Throwable t) {
            ConsumeResult result = failed(message, t);
            scope.stop(tag(result), t);
            return CompletableFuture.completedFuture(result);
        }
        if (stage == null) {
            IllegalStateException t = new IllegalStateException("the listener returned no CompletionStage");
            ConsumeResult result = failed(message, t);
            scope.stop(tag(result), t);
            return CompletableFuture.completedFuture(result);
        }
        return stage.handle((value, failure) -> {
            ConsumeResult result;
            Throwable error = failure == null ? null : unwrap(failure);
            if (error != null) {
                result = failed(message, error);
            } else {
                result = value instanceof ConsumeResult r ? r : ConsumeResult.SUCCESS;
            }
            scope.stop(tag(result), error);
            // A value that is no ConsumeResult is the reply to a request (a Void stage's null is none).
            return error == null && value != null && !(value instanceof ConsumeResult)
                    ? reply(message, value).thenApply(ignored -> result)
                    : CompletableFuture.completedFuture(result);
        }).thenCompose(outcome -> outcome);
    }

    /**
     * Sends {@code value} as the reply when {@code message} is a request; completes once the reply was
     * delivered or given up on (never exceptionally).
     */
    private CompletableFuture<Boolean> reply(ReceivedMessage message, @Nullable Object value) {
        if (!message.isRequest()) {
            return CompletableFuture.completedFuture(false);
        }
        if (value == null) {
            log.warn("@MQListener {} ({}) returned null for request {} (message {} of {}): nothing to reply, the"
                    + " requester will time out", id, method.description(), message.correlationId(),
                    message.messageId(), message.topic());
            return CompletableFuture.completedFuture(false);
        }
        return replier.reply(id, group, message, value);
    }

    BatchResult consumeBatch(List<ReceivedMessage> messages) {
        ConsumeResult[] results = new ConsumeResult[messages.size()];
        Arrays.fill(results, ConsumeResult.SUCCESS);
        List<Object> elements = new ArrayList<>(messages.size());
        List<Integer> positions = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            try {
                elements.add(method.element(messages.get(i)));
                positions.add(i);
            } catch (ListenerMethod.ConversionFailure e) {
                results[i] = conversionFailed(messages.get(i), e);
            }
        }
        if (elements.isEmpty()) {
            return BatchResult.of(Arrays.asList(results));
        }
        try {
            Object returned = method.invoke(elements);
            if (returned instanceof BatchResult batch) {
                for (int j = 0; j < positions.size(); j++) {
                    results[positions.get(j)] = batch.resultOf(j);
                }
            } else if (returned == null && method.result() == ListenerMethod.ResultKind.BATCH_RESULT) {
                positions.forEach(p -> results[p] = ConsumeResult.RETRY);
            }
        } catch (BatchListenerFailedException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            for (int j = 0; j < positions.size(); j++) {
                if (e.failed(j)) {
                    int p = positions.get(j);
                    results[p] = failed(messages.get(p), cause);
                }
            }
        } catch (Throwable t) {
            for (int p : positions) {
                results[p] = failed(messages.get(p), t);
            }
        }
        return BatchResult.of(Arrays.asList(results));
    }

    /** The outcome of a message whose handling threw {@code error}: the error handler's, or RETRY. */
    private ConsumeResult failed(ReceivedMessage message, Throwable error) {
        if (error instanceof Error fatal && !(error instanceof AssertionError)) {
            throw fatal;
        }
        MQListenerErrorHandler handler = errorHandler;
        if (handler == null) {
            log.warn("@MQListener {} ({}) failed on message {} of {} (delivery {}); it will be delivered again",
                    id, method.description(), message.messageId(), message.topic(), message.reconsumeTimes() + 1,
                    error);
            return ConsumeResult.RETRY;
        }
        try {
            ConsumeResult result = handler.handle(id, message, error);
            return result == null ? ConsumeResult.RETRY : result;
        } catch (Exception e) {
            log.warn("the error handler of @MQListener {} threw on message {}; it will be delivered again", id,
                    message.messageId(), e);
            return ConsumeResult.RETRY;
        }
    }

    private ConsumeResult conversionFailed(ReceivedMessage message, ListenerMethod.ConversionFailure e) {
        if (message.reconsumeTimes() == 0) {
            log.warn("@MQListener {} ({}) cannot take message {} of {}: {}; handing it back once before"
                    + " dead-lettering it", id, method.description(), message.messageId(), message.topic(),
                    e.getMessage());
            return ConsumeResult.RETRY;
        }
        log.error("@MQListener {} ({}) cannot take message {} of {} (delivery {}): {}; dead-lettered to %DLQ%{}",
                id, method.description(), message.messageId(), message.topic(), message.reconsumeTimes() + 1,
                e.getMessage(), group);
        return ConsumeResult.DEAD_LETTER;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String tag(ConsumeResult result) {
        return result.name().toLowerCase(Locale.ROOT);
    }
}
