package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default converter: {@code byte[]} as is, {@code String} as UTF-8 text, anything else as JSON
 * through the application's Jackson {@link JsonMapper}.
 */
public class JacksonPayloadConverter implements MQPayloadConverter {

    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain;charset=UTF-8";

    private final JsonMapper mapper;

    public JacksonPayloadConverter(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Body toBody(Object payload) {
        if (payload == null) {
            throw MQException.validation("payload must not be null");
        }
        if (payload instanceof byte[] bytes) {
            return new Body(bytes, null);
        }
        if (payload instanceof String text) {
            return new Body(text.getBytes(StandardCharsets.UTF_8), TEXT);
        }
        try {
            return new Body(mapper.writeValueAsBytes(payload), JSON);
        } catch (JacksonException e) {
            throw MQException.validation("cannot write payload of type " + payload.getClass().getName()
                    + " as JSON: " + e.getOriginalMessage());
        }
    }
}
