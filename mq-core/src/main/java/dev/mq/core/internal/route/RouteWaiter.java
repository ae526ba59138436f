package dev.mq.core.internal.route;

import dev.mq.core.MQException;

/**
 * Something waiting for a topic's route. Waiters of one topic are resumed one after another in the
 * order they started waiting, on the callback executor, so sends issued in order stay in order.
 */
public interface RouteWaiter {

    void routeReady(TopicPublishInfo route);

    void routeFailed(MQException error);
}
