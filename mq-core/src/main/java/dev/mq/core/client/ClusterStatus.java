package dev.mq.core.client;

import java.util.Map;

/**
 * The cluster as one NameServer sees it right now.
 *
 * @param nameServer the NameServer that answered
 * @param brokers    broker name to master address of every registered broker with a master
 */
public record ClusterStatus(String nameServer, Map<String, String> brokers) {

    public ClusterStatus {
        brokers = Map.copyOf(brokers);
    }
}
