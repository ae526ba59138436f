package dev.mq.core.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Clock;
import dev.mq.core.MessageQueue;
import dev.mq.core.ReceivedMessage;
import dev.mq.core.consumer.BatchResult;
import dev.mq.core.consumer.ConsumeContext;
import dev.mq.core.consumer.ConsumeHook;
import dev.mq.core.consumer.ConsumeResult;
import dev.mq.core.consumer.ConsumerListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class ListenerInvokerTest {

    static final MessageQueue QUEUE = new MessageQueue("T", "b", 0);

    static ReceivedMessage message(int i) {
        return ReceivedMessage.builder("T", "id-" + i, QUEUE).body(new byte[0]).queueOffset(i).build();
    }

    static List<ReceivedMessage> messages(int n) {
        List<ReceivedMessage> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(message(i));
        }
        return list;
    }

    static List<ConsumeResult> results(CompletionStage<List<ConsumeResult>> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void aBatchResultMapsToOneResultPerMessage() {
        assertThat(ListenerInvoker.resultsOf(BatchResult.retry(1, 3), 5)).containsExactly(ConsumeResult.SUCCESS,
                ConsumeResult.RETRY, ConsumeResult.SUCCESS, ConsumeResult.RETRY, ConsumeResult.SUCCESS);
        assertThat(ListenerInvoker.resultsOf(BatchResult.retryAll(), 2)).containsOnly(ConsumeResult.RETRY);
        assertThat(ListenerInvoker.resultsOf(BatchResult.success(), 3)).containsOnly(ConsumeResult.SUCCESS);
        assertThat(ListenerInvoker.resultsOf(BatchResult.of(List.of(ConsumeResult.DEAD_LETTER)), 2))
                .containsExactly(ConsumeResult.DEAD_LETTER, ConsumeResult.SUCCESS);
    }

    @Test
    void aBatchListenerThatThrowsOrReturnsNullRetriesTheWholeBatch() {
        ListenerInvoker throwing = new ListenerInvoker("g", ConsumerListener.batch(m -> {
            throw new IllegalStateException("boom");
        }), List.of(), Clock.system());
        assertThat(results(throwing.invoke(messages(3)))).containsOnly(ConsumeResult.RETRY).hasSize(3);
        ListenerInvoker nulls = new ListenerInvoker("g", ConsumerListener.batch(m -> null), List.of(), Clock.system());
        assertThat(results(nulls.invoke(messages(2)))).containsOnly(ConsumeResult.RETRY).hasSize(2);
    }

    @Test
    void aListenerExceptionOrNullIsRetryAndHooksSeeItOnceEach() {
        List<String> calls = new ArrayList<>();
        ConsumeHook hook = new ConsumeHook() {
            @Override
            public void beforeConsume(ConsumeContext context) {
                calls.add("before " + context.message().messageId() + " " + context.result());
                context.attach("sample");
            }

            @Override
            public void afterConsume(ConsumeContext context) {
                calls.add("after " + context.message().messageId() + " " + context.result() + " "
                        + (context.error() == null ? "-" : context.error().getMessage()) + " " + context.attachment());
            }
        };
        ConsumeHook broken = new ConsumeHook() {
            @Override
            public void beforeConsume(ConsumeContext context) {
                throw new IllegalStateException("a broken hook is ignored");
            }
        };
        ListenerInvoker invoker = new ListenerInvoker("g", ConsumerListener.of(m -> {
            if (m.queueOffset() == 0) {
                throw new IllegalArgumentException("bad");
            }
            return m.queueOffset() == 1 ? null : ConsumeResult.SUCCESS;
        }), List.of(broken, hook), Clock.system());
        assertThat(results(invoker.invoke(List.of(message(0))))).containsExactly(ConsumeResult.RETRY);
        assertThat(results(invoker.invoke(List.of(message(1))))).containsExactly(ConsumeResult.RETRY);
        assertThat(results(invoker.invoke(List.of(message(2))))).containsExactly(ConsumeResult.SUCCESS);
        assertThat(calls).containsExactly("before id-0 null", "after id-0 RETRY bad sample",
                "before id-1 null", "after id-1 RETRY - sample",
                "before id-2 null", "after id-2 SUCCESS - sample");
    }

    @Test
    void anAsyncListenerCompletesWhenItsStageDoesAndAFailedStageIsRetry() {
        CompletableFuture<ConsumeResult> pending = new CompletableFuture<>();
        List<String> after = new ArrayList<>();
        ListenerInvoker invoker = new ListenerInvoker("g", ConsumerListener.async(m -> pending), List.of(
                new ConsumeHook() {
                    @Override
                    public void afterConsume(ConsumeContext context) {
                        after.add(String.valueOf(context.result()));
                    }
                }), Clock.system());
        CompletableFuture<List<ConsumeResult>> outcome = invoker.invoke(List.of(message(0))).toCompletableFuture();
        assertThat(outcome).isNotDone();
        assertThat(after).isEmpty();
        pending.completeExceptionally(new IllegalStateException("downstream down"));
        assertThat(outcome.join()).containsExactly(ConsumeResult.RETRY);
        assertThat(after).containsExactly("RETRY");
    }

    @Test
    void onlyABatchListenerTakesMoreThanOneMessagePerCall() {
        assertThat(new ListenerInvoker("g", ConsumerListener.batch(m -> BatchResult.success()), List.of(),
                Clock.system()).messagesPerCall(16)).isEqualTo(16);
        assertThat(new ListenerInvoker("g", ConsumerListener.of(m -> ConsumeResult.SUCCESS), List.of(),
                Clock.system()).messagesPerCall(16)).isEqualTo(1);
    }
}
