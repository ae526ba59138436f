package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import org.jspecify.annotations.Nullable;

/** A {@code topic} or {@code topic:tags} destination as {@link MQTemplate} takes it. */
record Destination(String topic, @Nullable String tags) {

    static Destination parse(@Nullable String destination) {
        if (destination == null || destination.isBlank()) {
            throw MQException.validation("destination must not be empty: expected 'topic' or 'topic:tags'");
        }
        int colon = destination.indexOf(':');
        if (colon < 0) {
            return new Destination(destination, null);
        }
        String topic = destination.substring(0, colon);
        String tags = destination.substring(colon + 1);
        if (topic.isEmpty() || tags.isEmpty() || tags.indexOf(':') >= 0) {
            throw MQException.validation("malformed destination '" + destination
                    + "': expected 'topic' or 'topic:tags' with one colon and both parts non-empty");
        }
        return new Destination(topic, tags);
    }
}
