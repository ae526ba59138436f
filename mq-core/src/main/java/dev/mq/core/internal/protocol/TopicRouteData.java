package dev.mq.core.internal.protocol;

import java.util.List;

/**
 * A topic's route from the name server ({@code GET_ROUTEINFO_BY_TOPIC}); read it with
 * {@link RouteCodec#decode}. Lists are immutable and never null.
 *
 * @param orderTopicConf {@code "brokerA:4;brokerB:4"} for a globally ordered topic, else null
 * @param queueDatas     one entry per broker hosting the topic
 * @param brokerDatas    the brokers named in {@code queueDatas}, with their addresses
 */
public record TopicRouteData(String orderTopicConf, List<QueueData> queueDatas, List<BrokerData> brokerDatas) {

    public TopicRouteData {
        queueDatas = queueDatas == null ? List.of() : List.copyOf(queueDatas);
        brokerDatas = brokerDatas == null ? List.of() : List.copyOf(brokerDatas);
    }
}
