package dev.mq.core.internal.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The body of a {@code HEART_BEAT}, in the form a 4.9.8 client sends, which 4.9 and 5.x brokers
 * both accept:
 * {@code {"clientID":"…","consumerDataSet":[…],"producerDataSet":[{"groupName":"PG"}]}}. It leaves
 * out 5.x's {@code heartbeatFingerprint}, so brokers take the classic (V1) heartbeat path, where
 * every heartbeat carries a group's complete subscription set.
 *
 * <p>A broker removes every topic a consumer group's heartbeat leaves out, so a caller passes each
 * group with all of its subscriptions (in clustering mode including {@code %RETRY%<group>}).
 *
 * <p>Written by the protocol's JSON mapper: a heartbeat leaves every 30 seconds, so it gains nothing
 * from the hand-written encoding of the per-send frame header.
 */
public final class HeartbeatBody {

    private HeartbeatBody() {
    }

    /** UTF-8 JSON registering {@code clientId} for each of {@code producerGroups}, in iteration order. */
    public static byte[] encode(String clientId, Collection<String> producerGroups) {
        return encode(clientId, producerGroups, List.of());
    }

    /**
     * UTF-8 JSON registering {@code clientId} for each of {@code producerGroups} and each of
     * {@code consumerGroups}, both in iteration order.
     */
    public static byte[] encode(String clientId, Collection<String> producerGroups,
                                Collection<ConsumerGroup> consumerGroups) {
        Objects.requireNonNull(clientId, "clientId");
        List<ProducerData> producers = producerGroups.stream()
                .map(group -> new ProducerData(Objects.requireNonNull(group, "producer group")))
                .toList();
        List<ConsumerGroup> consumers = List.copyOf(consumerGroups);
        return ProtocolJson.MAPPER.writeValueAsBytes(new Heartbeat(clientId, consumers, producers));
    }

    /** How a consumer group gets its messages; the broker keeps the last heartbeat's value for the group. */
    public enum ConsumeType {
        /** A push consumer: the client pulls and dispatches to listeners. */
        CONSUME_PASSIVELY,
        /** A pull or lite-pull consumer. */
        CONSUME_ACTIVELY
    }

    /** Whether a group's members share its queues or each read all of them. */
    public enum MessageModel {
        CLUSTERING,
        BROADCASTING
    }

    /** Where a new group starts; the broker only stores it (the client resolves start offsets itself). */
    public enum ConsumeFromWhere {
        CONSUME_FROM_LAST_OFFSET,
        CONSUME_FROM_FIRST_OFFSET,
        CONSUME_FROM_TIMESTAMP
    }

    /**
     * One consumer group's entry in {@code consumerDataSet}. Components are declared in the
     * alphabetical key order the official client writes, so bodies compare byte for byte with its.
     */
    public record ConsumerGroup(ConsumeFromWhere consumeFromWhere, ConsumeType consumeType, String groupName,
                                MessageModel messageModel, List<Subscription> subscriptionDataSet,
                                boolean unitMode) {

        public ConsumerGroup {
            Objects.requireNonNull(consumeFromWhere, "consumeFromWhere");
            Objects.requireNonNull(consumeType, "consumeType");
            Objects.requireNonNull(groupName, "groupName");
            Objects.requireNonNull(messageModel, "messageModel");
            subscriptionDataSet = List.copyOf(subscriptionDataSet);
        }

        /** A push consumer's group ({@code unitMode} false: true would give its retry topic the "unit" flag). */
        public static ConsumerGroup push(String group, MessageModel model, ConsumeFromWhere from,
                                         List<Subscription> subscriptions) {
            return new ConsumerGroup(from, ConsumeType.CONSUME_PASSIVELY, group, model, subscriptions, false);
        }
    }

    /**
     * One subscription ({@code SubscriptionData}). For TAG expressions the broker filters by
     * {@code codeSet} (tag hash codes) and the client re-checks {@code tagsSet}, so both must be
     * derived from {@code subString} exactly as the official client derives them: see {@link #tag}.
     */
    public record Subscription(boolean classFilterMode, List<Integer> codeSet, String expressionType,
                               String subString, long subVersion, List<String> tagsSet, String topic) {

        public static final String TAG = "TAG";
        public static final String SQL92 = "SQL92";
        public static final String SUBSCRIBE_ALL = "*";

        public Subscription {
            codeSet = List.copyOf(codeSet);
            Objects.requireNonNull(expressionType, "expressionType");
            Objects.requireNonNull(subString, "subString");
            tagsSet = List.copyOf(tagsSet);
            Objects.requireNonNull(topic, "topic");
        }

        /**
         * A TAG subscription: {@code expression} split on {@code ||}, each tag trimmed, empty ones
         * dropped, duplicates once (the official client keeps them in a set); {@code *} or a blank
         * expression subscribes to every tag and is sent as {@code *} with empty sets.
         */
        public static Subscription tag(String topic, String expression, long subVersion) {
            Objects.requireNonNull(expression, "expression");
            String trimmed = expression.trim();
            if (trimmed.isEmpty() || trimmed.equals(SUBSCRIBE_ALL)) {
                return new Subscription(false, List.of(), TAG, SUBSCRIBE_ALL, subVersion, List.of(), topic);
            }
            Set<String> tags = new LinkedHashSet<>();
            for (String part : trimmed.split("\\|\\|")) {
                String tag = part.trim();
                if (!tag.isEmpty()) {
                    tags.add(tag);
                }
            }
            // The broker matches a message's stored tag hash (String.hashCode of its TAGS) against these.
            List<Integer> codes = tags.stream().map(String::hashCode).toList();
            return new Subscription(false, codes, TAG, expression, subVersion, List.copyOf(tags), topic);
        }

        /** An SQL92 subscription: the broker evaluates the expression; no tags or codes. */
        public static Subscription sql92(String topic, String expression, long subVersion) {
            return new Subscription(false, List.of(), SQL92, expression, subVersion, List.of(), topic);
        }
    }

    private record Heartbeat(@JsonProperty("clientID") String clientId, List<ConsumerGroup> consumerDataSet,
                             List<ProducerData> producerDataSet) {
    }

    private record ProducerData(String groupName) {
    }
}
