package dev.mq.spring.autoconfigure;

import dev.mq.core.Message;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.MessageHeaders;

/**
 * Maps the headers of a Spring {@link org.springframework.messaging.Message} sent through
 * {@link MQTemplate} onto the RocketMQ message: keys, tags, delay level and user properties.
 *
 * <p>The auto-configuration provides {@link DefaultMQHeaderMapper} unless the application defines its
 * own bean of this type; every auto-configured template uses it. A template built by hand takes one
 * in {@link MQTemplate#MQTemplate(dev.mq.core.producer.Producer, MQPayloadConverter, MQHeaderMapper)}.
 *
 * <p>The template sets the destination's topic and tags on the message before the mapper runs, and
 * the body, the converter's content type (only when the headers hold no
 * {@value MessageHeaders#CONTENT_TYPE}), the delivery time and the trace context after it. A mapper
 * reports a bad header by throwing {@link dev.mq.core.MQException} ({@code VALIDATION}); the message is
 * then not sent.
 */
@FunctionalInterface
public interface MQHeaderMapper {

    /**
     * Writes {@code headers} onto {@code message}.
     *
     * @param headers         the Spring message's headers
     * @param message         the RocketMQ message being built for {@code topic}
     * @param topic           the destination's topic
     * @param destinationTags the destination's tags ({@code "topic:tags"}), already set on
     *                        {@code message}, or null; given because a header may name tags too
     */
    void fromHeaders(MessageHeaders headers, Message.Builder message, String topic, @Nullable String destinationTags);
}
