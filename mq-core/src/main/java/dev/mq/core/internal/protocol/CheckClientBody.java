package dev.mq.core.internal.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mq.core.internal.protocol.HeartbeatBody.Subscription;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The body of a CHECK_CLIENT_CONFIG request: {@code {"clientId":"…","group":"…","namespace":"…",
 * "subscriptionData":{…}}}, asking a broker whether it can filter by a subscription. A broker accepts
 * every TAG subscription; an SQL92 one only with {@code enablePropertyFilter=true} (else SYSTEM_ERROR)
 * and an expression it can compile (else SUBSCRIPTION_PARSE_FAILED).
 */
public final class CheckClientBody {

    private CheckClientBody() {
    }

    /** UTF-8 JSON for {@code subscription} of {@code group} (as it travels); {@code namespace} left out when null. */
    public static byte[] encode(String clientId, String group, Subscription subscription, @Nullable String namespace) {
        return ProtocolJson.MAPPER.writeValueAsBytes(new Body(Objects.requireNonNull(clientId, "clientId"),
                Objects.requireNonNull(group, "group"), namespace, Objects.requireNonNull(subscription, "subscription")));
    }

    /** The subscription a request body asks about; for fake brokers in tests. */
    public static Subscription decodeSubscription(byte[] body) {
        return ProtocolJson.MAPPER.readValue(body, Body.class).subscriptionData();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Body(String clientId, String group, @Nullable String namespace, Subscription subscriptionData) {
    }
}
