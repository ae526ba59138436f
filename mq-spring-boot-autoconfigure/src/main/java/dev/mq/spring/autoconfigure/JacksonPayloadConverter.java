package dev.mq.spring.autoconfigure;

import dev.mq.core.MQException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default converter: {@code byte[]} as is, {@code String} as UTF-8 text, anything else as JSON
 * through the application's Jackson {@link JsonMapper}; and back, into a listener's parameter type
 * (generic types such as {@code List<Order>} included).
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

    @Override
    public Object fromBody(byte[] body, @Nullable String contentType, Type type) {
        if (type == byte[].class) {
            return body;
        }
        if (type == String.class) {
            return new String(body, StandardCharsets.UTF_8);
        }
        try {
            return mapper.readValue(body, mapper.getTypeFactory().constructType(type));
        } catch (JacksonException e) {
            throw MQException.validation("cannot read the body as JSON of type " + type.getTypeName() + ": "
                    + e.getOriginalMessage());
        }
    }
}
