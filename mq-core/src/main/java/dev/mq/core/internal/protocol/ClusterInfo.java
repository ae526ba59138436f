package dev.mq.core.internal.protocol;

import dev.mq.core.MQException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The NameServer's view of the cluster (GET_BROKER_CLUSTER_INFO): which brokers are registered and
 * where their masters listen. RocketMQ writes this body with unquoted integer map keys in every
 * version, which the shared lenient mapper accepts.
 *
 * @param brokers  broker name to broker data
 * @param clusters cluster name to broker names
 */
public record ClusterInfo(Map<String, BrokerData> brokers, Map<String, List<String>> clusters) {

    public ClusterInfo {
        brokers = brokers == null ? Map.of() : Map.copyOf(brokers);
        clusters = clusters == null ? Map.of() : Map.copyOf(clusters);
    }

    /** Broker name to master address, for brokers that have a master. */
    public Map<String, String> masters() {
        Map<String, String> masters = new TreeMap<>();
        brokers.forEach((name, data) -> {
            String master = data.masterAddress();
            if (master != null) {
                masters.put(name, master);
            }
        });
        return masters;
    }

    /** Parses a GET_BROKER_CLUSTER_INFO response body. */
    public static ClusterInfo decode(byte @Nullable [] json) {
        if (json == null || json.length == 0) {
            return new ClusterInfo(Map.of(), Map.of());
        }
        try {
            Wire wire = ProtocolJson.MAPPER.readValue(json, Wire.class);
            return new ClusterInfo(wire.brokerAddrTable(), wire.clusterAddrTable());
        } catch (RuntimeException e) {
            String text = new String(json, 0, Math.min(json.length, 200), StandardCharsets.UTF_8);
            throw new MQException(MQException.Reason.CONNECTION, "malformed cluster info from name server: "
                    + e.getMessage() + " in: " + text, e);
        }
    }

    private record Wire(Map<String, BrokerData> brokerAddrTable, Map<String, List<String>> clusterAddrTable) {
    }
}
