package dev.mq.core.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MessageQueue;
import dev.mq.core.internal.protocol.HeartbeatBody.Subscription;
import org.junit.jupiter.api.Test;

class WireNamesTest {

    @Test
    void aNamespacePrefixesTopicsGroupAndTheGroupsSystemTopicsAsTheOfficialClientDoes() {
        WireNames names = new WireNames("staging", "billing");
        assertThat(names.group()).isEqualTo("staging%billing");
        assertThat(names.topic("Orders")).isEqualTo("staging%Orders");
        assertThat(names.retryTopic()).isEqualTo("%RETRY%staging%billing");
        assertThat(names.deadLetterTopic()).isEqualTo("%DLQ%staging%billing");
        assertThat(names.applicationTopic("staging%Orders")).isEqualTo("Orders");
        assertThat(names.applicationTopic("%RETRY%staging%billing")).isEqualTo("%RETRY%billing");
        assertThat(names.applicationQueue(new MessageQueue("staging%Orders", "b", 3)))
                .isEqualTo(new MessageQueue("Orders", "b", 3));
        assertThat(names.isRetryTopic("%RETRY%staging%billing")).isTrue();
        assertThat(names.isRetryTopic("%RETRY%billing")).isFalse();
    }

    @Test
    void withoutANamespaceNamesTravelAsTheyAre() {
        WireNames names = new WireNames(null, "billing");
        assertThat(names.group()).isEqualTo("billing");
        assertThat(names.topic("Orders")).isEqualTo("Orders");
        assertThat(names.retryTopic()).isEqualTo("%RETRY%billing");
        assertThat(names.applicationTopic("Orders")).isEqualTo("Orders");
        assertThat(names.applicationTopic("%RETRY%billing")).isEqualTo("%RETRY%billing");
    }

    @Test
    void theClientSideTagCheckKeepsOnlySubscribedTags() {
        Subscription some = Subscription.tag("T", "a || b", 1);
        assertThat(Puller.matches(some, "a")).isTrue();
        assertThat(Puller.matches(some, "c")).isFalse();
        assertThat(Puller.matches(some, null)).as("a message without a tag").isFalse();
        assertThat(Puller.matches(Subscription.tag("T", "*", 1), null)).isTrue();
        assertThat(Puller.matches(Subscription.sql92("T", "a > 1", 1), "x")).as("SQL92 is the broker's").isTrue();
    }
}
