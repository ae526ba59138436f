package dev.mq.spring.autoconfigure;

import dev.mq.core.ReceivedMessage;

/**
 * Observes the handling of received messages by {@code @MQListener} methods (tracing). Free of
 * Micrometer types so that listeners work without Micrometer on the classpath.
 */
interface ReceiveObserver {

    ReceiveObserver NONE = (listenerId, group, message) -> Scope.NONE;

    /** Starts observing the handling of {@code message}; it may read trace context from its properties. */
    Scope start(String listenerId, String group, ReceivedMessage message);

    /** One observed message. */
    interface Scope {

        Scope NONE = new Scope() {
            @Override
            public AutoCloseable open() {
                return () -> { };
            }

            @Override
            public void stop(String result, @org.jspecify.annotations.Nullable Throwable error) {
            }
        };

        /** Makes the observation current on this thread until the returned handle closes. */
        AutoCloseable open();

        /** Ends the observation with the outcome ({@code success}, {@code retry}, {@code dead_letter}). */
        void stop(String result, @org.jspecify.annotations.Nullable Throwable error);
    }
}
