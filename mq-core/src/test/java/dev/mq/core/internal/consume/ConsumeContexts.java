package dev.mq.core.internal.consume;

import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.ConsumeContext;
import dev.mq.core.consumer.ConsumeResult;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The consume contexts hooks get, as the consumer makes them, for tests of hooks in other packages. */
public final class ConsumeContexts {

    private ConsumeContexts() {
    }

    /** What a hook gets before {@code message} is handled. */
    public static ConsumeContext before(String group, ReceivedMessage message) {
        return new HookContext(group, message);
    }

    /** What a hook gets after {@code message} was handled with {@code result} in {@code handlerTime}. */
    public static ConsumeContext after(String group, ReceivedMessage message, ConsumeResult result,
                                       @Nullable Throwable error, Duration handlerTime) {
        HookContext context = new HookContext(group, message);
        context.finished(result, error, handlerTime);
        return context;
    }
}
