package dev.mq.core.internal.protocol;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The body of a GET_CONSUMER_LIST_BY_GROUP answer: {@code {"consumerIdList":["ip@instance", …]}},
 * in the broker's channel-table order (unsorted; allocation sorts it).
 */
public final class ConsumerListBody {

    private ConsumerListBody() {
    }

    /**
     * The client ids the body lists, in its order; empty for a body without the list.
     *
     * @throws IllegalArgumentException if the body is not JSON of that shape
     */
    public static List<String> decode(byte[] body) {
        Objects.requireNonNull(body, "body");
        Body parsed;
        try {
            parsed = ProtocolJson.MAPPER.readValue(body, Body.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a consumer list body: " + e.getMessage(), e);
        }
        List<@Nullable String> ids = parsed.consumerIdList();
        if (ids == null) {
            return List.of();
        }
        // A null id would later break the sort every member of the group must agree on.
        for (String id : ids) {
            if (id == null) {
                throw new IllegalArgumentException("consumer list holds a null client id");
            }
        }
        return List.copyOf(ids);
    }

    /** The body as a broker writes it; for tests and tools. */
    public static byte[] encode(List<String> clientIds) {
        return ProtocolJson.MAPPER.writeValueAsBytes(new Body(List.copyOf(clientIds)));
    }

    private record Body(@Nullable List<@Nullable String> consumerIdList) {
    }
}
