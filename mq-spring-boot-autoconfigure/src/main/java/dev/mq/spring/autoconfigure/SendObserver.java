package dev.mq.spring.autoconfigure;

import java.util.Map;

/**
 * Observes sends made through {@link MQTemplate} (tracing). Free of Micrometer types so that the
 * template works without Micrometer on the classpath.
 */
interface SendObserver {

    SendObserver NONE = (topic, mode, carrier) -> Scope.NONE;

    /**
     * Starts observing a send; may write context (e.g. trace headers) into {@code carrier}, which
     * becomes the message's properties.
     */
    Scope start(String topic, String mode, Map<String, String> carrier);

    /** One observed send. */
    interface Scope {

        Scope NONE = new Scope() {
            @Override
            public void success() {
            }

            @Override
            public void failure(Throwable error) {
            }
        };

        void success();

        void failure(Throwable error);
    }
}
