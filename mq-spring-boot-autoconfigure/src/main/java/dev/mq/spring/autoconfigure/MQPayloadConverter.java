package dev.mq.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/** Turns the payloads given to {@link MQTemplate} into message bodies. */
@FunctionalInterface
public interface MQPayloadConverter {

    /** The message property holding the body's content type. */
    String CONTENT_TYPE_PROPERTY = "contentType";

    /** The body for {@code payload} and its content type (null if none should be recorded). */
    Body toBody(Object payload);

    /**
     * @param bytes       the message body
     * @param contentType e.g. {@code application/json}, or null
     */
    record Body(byte[] bytes, @Nullable String contentType) {
    }
}
