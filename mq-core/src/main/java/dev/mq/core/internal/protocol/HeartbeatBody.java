package dev.mq.core.internal.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Objects;

/**
 * The body of a producer-only {@code HEART_BEAT}, in the form a 4.9.8 client sends, which 4.9 and
 * 5.x brokers both accept:
 * {@code {"clientID":"…","consumerDataSet":[],"producerDataSet":[{"groupName":"PG"}]}}. It leaves
 * out 5.x's {@code heartbeatFingerprint}, so brokers take the classic (V1) heartbeat path.
 */
public final class HeartbeatBody {

    private HeartbeatBody() {
    }

    /** UTF-8 JSON registering {@code clientId} for each of {@code producerGroups}, in iteration order. */
    public static byte[] encode(String clientId, Collection<String> producerGroups) {
        Objects.requireNonNull(clientId, "clientId");
        StringBuilder sb = new StringBuilder(64 + clientId.length() + 20 * producerGroups.size());
        sb.append("{\"clientID\":");
        JsonStrings.appendQuoted(sb, clientId);
        sb.append(",\"consumerDataSet\":[],\"producerDataSet\":[");
        boolean first = true;
        for (String group : producerGroups) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"groupName\":");
            JsonStrings.appendQuoted(sb, Objects.requireNonNull(group, "producer group"));
            sb.append('}');
        }
        sb.append("]}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
