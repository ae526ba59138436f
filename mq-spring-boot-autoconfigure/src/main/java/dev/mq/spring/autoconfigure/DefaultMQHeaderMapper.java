package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.MessageHeaders;

/**
 * The default {@link MQHeaderMapper}: nothing is dropped except Spring's generated {@code id} and
 * {@code timestamp}.
 *
 * <ul>
 *   <li>{@value MQTemplate#KEYS}: the message keys, a string of space-separated keys or a collection;</li>
 *   <li>{@value MQTemplate#TAGS}: the tag; it must equal the destination's tags if both are given;</li>
 *   <li>{@value MQTemplate#DELAY}: the broker delay level, a number or a string holding one;</li>
 *   <li>{@value MessageHeaders#CONTENT_TYPE}: the {@value MQPayloadConverter#CONTENT_TYPE_PROPERTY}
 *       property, in place of the converter's content type;</li>
 *   <li>every other header: a user property holding the value's {@code toString()}; RocketMQ's
 *       reserved property names are refused when the message is sent.</li>
 * </ul>
 *
 * Conflicting or malformed values fail with {@code VALIDATION}.
 */
public class DefaultMQHeaderMapper implements MQHeaderMapper {

    @Override
    public void fromHeaders(MessageHeaders headers, Message.Builder message, String topic,
                            @Nullable String destinationTags) {
        for (Map.Entry<String, Object> header : headers.entrySet()) {
            String name = header.getKey();
            Object value = header.getValue();
            if (value == null || name.equals(MessageHeaders.ID) || name.equals(MessageHeaders.TIMESTAMP)) {
                continue;
            }
            switch (name) {
                case MQTemplate.KEYS -> message.keys(keys(value));
                case MQTemplate.TAGS -> message.tags(tags(destinationTags, value.toString(), topic));
                case MQTemplate.DELAY -> message.delayLevel(delayLevel(value));
                case MessageHeaders.CONTENT_TYPE ->
                        message.property(MQPayloadConverter.CONTENT_TYPE_PROPERTY, value.toString());
                default -> message.property(name, value.toString());
            }
        }
    }

    private static List<String> keys(Object value) {
        List<String> keys = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            collection.forEach(k -> keys.add(String.valueOf(k)));
        } else {
            for (String key : value.toString().trim().split("\\s+")) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static String tags(@Nullable String fromDestination, String fromHeader, String topic) {
        if (fromDestination != null && !fromDestination.equals(fromHeader)) {
            throw MQException.validation("destination '" + topic + ":" + fromDestination
                    + "' and header TAGS '" + fromHeader + "' name different tags: use one");
        }
        return fromHeader;
    }

    private static int delayLevel(Object value) {
        try {
            return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw MQException.validation("header DELAY must be a delay level number, got '" + value + "'");
        }
    }
}
