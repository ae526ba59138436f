package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Turns the payloads given to {@link MQTemplate} into message bodies, and the bodies an
 * {@code @MQListener} receives back into payloads.
 */
@FunctionalInterface
public interface MQPayloadConverter {

    /** The message property holding the body's content type. */
    String CONTENT_TYPE_PROPERTY = "contentType";

    /** The body for {@code payload} and its content type (null if none should be recorded). */
    Body toBody(Object payload);

    /**
     * The payload of a received body as {@code type} (the listener parameter's generic type). This
     * default reads {@code byte[]} (as is) and {@code String} (UTF-8) only; {@link JacksonPayloadConverter}
     * reads JSON into any type.
     *
     * @param contentType the {@value #CONTENT_TYPE_PROPERTY} property of the message, or null
     * @throws RuntimeException if the body cannot be read as {@code type}: the message is then handed
     *                          back once and dead-lettered on its next delivery
     */
    default Object fromBody(byte[] body, @Nullable String contentType, Type type) {
        if (type == byte[].class) {
            return body;
        }
        if (type == String.class) {
            return new String(body, StandardCharsets.UTF_8);
        }
        throw MQException.validation(getClass().getSimpleName() + " reads byte[] and String payloads only, not "
                + type.getTypeName() + ": implement MQPayloadConverter.fromBody");
    }

    /**
     * @param bytes       the message body
     * @param contentType e.g. {@code application/json}, or null
     */
    record Body(byte[] bytes, @Nullable String contentType) {
    }
}
