package dev.mq.core.internal.consume;

import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.ConsumeContext;
import dev.mq.core.consumer.ConsumeResult;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** One message's handling as hooks see it; filled in as the handling goes. */
final class HookContext implements ConsumeContext {

    private final String group;
    private final ReceivedMessage message;
    private volatile @Nullable ConsumeResult result;
    private volatile @Nullable Throwable error;
    private volatile Duration handlerTime = Duration.ZERO;
    private volatile @Nullable Object attachment;

    HookContext(String group, ReceivedMessage message) {
        this.group = group;
        this.message = message;
    }

    void finished(ConsumeResult outcome, @Nullable Throwable failure, Duration took) {
        this.result = outcome;
        this.error = failure;
        this.handlerTime = took;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public ReceivedMessage message() {
        return message;
    }

    @Override
    public @Nullable ConsumeResult result() {
        return result;
    }

    @Override
    public @Nullable Throwable error() {
        return error;
    }

    @Override
    public Duration handlerTime() {
        return handlerTime;
    }

    @Override
    public @Nullable Object attachment() {
        return attachment;
    }

    @Override
    public void attach(@Nullable Object value) {
        this.attachment = value;
    }
}
