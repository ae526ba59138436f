package dev.mq.core.internal.protocol;

import dev.mq.core.internal.protocol.HeartbeatBody.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The body of a GET_CONSUMER_CONNECTION_LIST answer (a broker's view of one consumer group):
 * {@code {"connectionSet":[{"clientId":…,"clientAddr":…,"language":…,"version":…}],
 * "subscriptionTable":{"topic":{SubscriptionData}}, "consumeType":…, "messageModel":…, …}}. The broker
 * keeps one subscription table per group, replaced topic by topic by its members' heartbeats.
 *
 * @param clientIds     the group's connected members
 * @param subscriptions the group's subscriptions as the broker holds them, by topic (as it travels)
 */
public record ConsumerConnectionBody(List<String> clientIds, Map<String, Subscription> subscriptions) {

    public ConsumerConnectionBody {
        clientIds = List.copyOf(clientIds);
        subscriptions = Map.copyOf(subscriptions);
    }

    /** @throws IllegalArgumentException if the body is not JSON of that shape */
    public static ConsumerConnectionBody decode(byte[] body) {
        Objects.requireNonNull(body, "body");
        Body parsed;
        try {
            parsed = ProtocolJson.MAPPER.readValue(body, Body.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a consumer connection body: " + e.getMessage(), e);
        }
        List<String> ids = new ArrayList<>();
        if (parsed.connectionSet() != null) {
            for (Connection c : parsed.connectionSet()) {
                if (c != null && c.clientId() != null) {
                    ids.add(c.clientId());
                }
            }
        }
        Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        if (parsed.subscriptionTable() != null) {
            parsed.subscriptionTable().forEach((topic, sub) -> {
                if (sub != null) {
                    subscriptions.put(topic, sub);
                }
            });
        }
        return new ConsumerConnectionBody(ids, subscriptions);
    }

    /** The body as a broker writes it (its other fields left out); for fake brokers in tests. */
    public byte[] encode() {
        List<Connection> connections = clientIds.stream().map(id -> new Connection(id)).toList();
        return ProtocolJson.MAPPER.writeValueAsBytes(new Body(connections, subscriptions));
    }

    private record Body(@Nullable List<@Nullable Connection> connectionSet,
                        @Nullable Map<String, @Nullable Subscription> subscriptionTable) {
    }

    private record Connection(@Nullable String clientId) {
    }
}
