package dev.mq.core.internal.protocol;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One broker group: its cluster, name, and the address of each member by broker id.
 *
 * @param cluster     the cluster name
 * @param brokerName  the broker (group) name
 * @param brokerAddrs {@code "ip:port"} by broker id; id 0 is the master, others are slaves
 */
public record BrokerData(String cluster, String brokerName, Map<Long, String> brokerAddrs) {

    /** The id of the master in {@link #brokerAddrs}. */
    public static final long MASTER_ID = 0L;

    public BrokerData {
        brokerAddrs = brokerAddrs == null ? Map.of() : Map.copyOf(brokerAddrs);
    }

    /** The master's address, or null if the group has no master now (sends must skip it). */
    public @Nullable String masterAddress() {
        return brokerAddrs.get(MASTER_ID);
    }
}
