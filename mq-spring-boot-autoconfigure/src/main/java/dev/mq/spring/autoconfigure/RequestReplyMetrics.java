package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What request-reply reports: each {@link MQTemplate} request's latency and outcome (a timeout also
 * counted apart), and each reply an {@code @MQListener} could not deliver within the request's time
 * to live. {@link #NONE} without Micrometer; {@link MicrometerRequestReplyMetrics} otherwise (see {@code docs/metrics.md}).
 */
interface RequestReplyMetrics {

    /** Records nothing. */
    RequestReplyMetrics NONE = new RequestReplyMetrics() {
        @Override
        public void request(String topic, String group, Duration latency, @Nullable Throwable error) {
        }

        @Override
        public void failedReply(String topic, String group) {
        }
    };

    /** A request on {@code topic} by producer {@code group} ended after {@code latency}: replied, or {@code error}. */
    void request(String topic, String group, Duration latency, @Nullable Throwable error);

    /** A listener of consumer {@code group} gave up replying to a request of {@code topic}. */
    void failedReply(String topic, String group);

    /** The outcome tag of a request: {@code success}, {@code timeout} or {@code failure}. */
    static String outcome(@Nullable Throwable error) {
        if (error == null) {
            return "success";
        }
        return error instanceof MQException mq && mq.reason() == MQException.Reason.TIMEOUT ? "timeout" : "failure";
    }
}
