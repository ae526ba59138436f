package dev.mq.core.internal.consume;

import dev.mq.core.MQException;
import dev.mq.core.internal.client.ClientServices;
import dev.mq.core.internal.protocol.CheckClientBody;
import dev.mq.core.internal.protocol.HeartbeatBody.Subscription;
import dev.mq.core.internal.protocol.ResponseCode;
import dev.mq.core.internal.route.TopicPublishInfo;
import dev.mq.core.internal.transport.RemotingCommand;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a consumer pulls: every master broker of a topic subscribed with an SQL92 selector is asked
 * whether it accepts the subscription (CHECK_CLIENT_CONFIG), as the official client does at start. A
 * broker without property filtering, or one that cannot compile the expression, would otherwise refuse
 * every pull of the topic, unseen. Tag subscriptions need no check (every broker filters by tag).
 *
 * <p>Only a broker's refusal fails the start; a topic without a route yet, a broker that does not
 * answer or does not know the request is logged and left to the pulls.
 */
final class SubscriptionCheck {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionCheck.class);

    private SubscriptionCheck() {
    }

    /**
     * Asks the brokers about every SQL92 subscription of {@code subscriptions}; waits for their answers
     * on the caller's thread (bounded by {@link BrokerRequests#TIMEOUT} per step).
     *
     * @throws MQException of kind VALIDATION naming the topic, the expression, the broker and its
     *     remark, when a broker refuses one
     */
    static void verify(String group, Collection<Subscription> subscriptions, ClientServices client,
                       WireNames names, BrokerRequests requests) {
        List<Check> checks = new ArrayList<>();
        for (Subscription subscription : subscriptions) {
            if (Subscription.TAG.equals(subscription.expressionType())) {
                continue;
            }
            TopicPublishInfo route = route(client, subscription.topic());
            if (route == null) {
                continue;
            }
            byte[] body = CheckClientBody.encode(client.clientId(), names.group(), subscription, client.namespace());
            for (Map.Entry<String, String> master : route.masters().entrySet()) {
                checks.add(new Check(subscription, master.getKey(), master.getValue(),
                        requests.checkClientConfig(master.getValue(), body)));
            }
        }
        for (Check check : checks) {
            RemotingCommand answer;
            try {
                answer = check.answer().get(BrokerRequests.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MQException(MQException.Reason.SHUTDOWN, "consumer group " + group
                        + ": interrupted while brokers were checking its subscriptions");
            } catch (Exception e) {
                log.warn("consumer group {}: broker {} ({}) did not answer whether it accepts {} '{}' on {}: {}",
                        group, check.brokerName(), check.address(), check.subscription().expressionType(),
                        check.subscription().subString(), names.applicationTopic(check.subscription().topic()),
                        e.toString());
                continue;
            }
            if (answer.code() == ResponseCode.SUCCESS) {
                continue;
            }
            if (answer.code() == ResponseCode.REQUEST_CODE_NOT_SUPPORTED) {
                log.warn("consumer group {}: broker {} ({}) cannot check subscriptions; {} '{}' on {} is not verified",
                        group, check.brokerName(), check.address(), check.subscription().expressionType(),
                        check.subscription().subString(), names.applicationTopic(check.subscription().topic()));
                continue;
            }
            throw MQException.validation("consumer group " + group + ": broker " + check.brokerName() + " ("
                    + check.address() + ") refuses the " + check.subscription().expressionType() + " subscription '"
                    + check.subscription().subString() + "' on topic " + names.applicationTopic(
                            check.subscription().topic()) + ": " + ResponseCode.name(answer.code()) + " "
                    + answer.remark() + (answer.code() == ResponseCode.SYSTEM_ERROR
                            ? " (SQL92 selectors need enablePropertyFilter=true on the broker)" : ""));
        }
    }

    /** The topic's route, waited for; null (logged) if it cannot be had now. */
    private static @Nullable TopicPublishInfo route(ClientServices client, String wireTopic) {
        try {
            return client.routes().route(wireTopic).get(BrokerRequests.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MQException(MQException.Reason.SHUTDOWN, "interrupted while looking up the route of "
                    + wireTopic);
        } catch (Exception e) {
            log.warn("no route of {} for now ({}): its SQL92 subscription is not checked before pulling", wireTopic,
                    e.toString());
            return null;
        }
    }

    private record Check(Subscription subscription, String brokerName, String address,
                         CompletableFuture<RemotingCommand> answer) {
    }
}
