package dev.mq.core.internal.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The body of a producer-only {@code HEART_BEAT}, in the form a 4.9.8 client sends, which 4.9 and
 * 5.x brokers both accept:
 * {@code {"clientID":"…","consumerDataSet":[],"producerDataSet":[{"groupName":"PG"}]}}. It leaves
 * out 5.x's {@code heartbeatFingerprint}, so brokers take the classic (V1) heartbeat path.
 *
 * <p>Written by the protocol's JSON mapper: a heartbeat leaves every 30 seconds, so it gains nothing
 * from the hand-written encoding of the per-send frame header.
 */
public final class HeartbeatBody {

    private HeartbeatBody() {
    }

    /** UTF-8 JSON registering {@code clientId} for each of {@code producerGroups}, in iteration order. */
    public static byte[] encode(String clientId, Collection<String> producerGroups) {
        Objects.requireNonNull(clientId, "clientId");
        List<ProducerData> producers = producerGroups.stream()
                .map(group -> new ProducerData(Objects.requireNonNull(group, "producer group")))
                .toList();
        return ProtocolJson.MAPPER.writeValueAsBytes(new Heartbeat(clientId, List.of(), producers));
    }

    private record Heartbeat(@JsonProperty("clientID") String clientId, List<Object> consumerDataSet,
                             List<ProducerData> producerDataSet) {
    }

    private record ProducerData(String groupName) {
    }
}
