package dev.mq.core.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.internal.protocol.HeartbeatBody.Subscription;
import org.junit.jupiter.api.Test;

/** What counts as two members subscribing alike (the real-broker test: ConsumerModesIntegrationTest). */
class SubscriptionConflictsTest {

    @Test
    void tagSubscriptionsAreAlikeWhenTheirTagsAreWhateverTheSpellingAndSql92WhenTheirTextIs() {
        assertThat(SubscriptionConflicts.selectsAlike(Subscription.tag("T", "a || b", 1), Subscription.tag("T", "b||a", 2)))
                .isTrue();
        assertThat(SubscriptionConflicts.selectsAlike(Subscription.tag("T", "*", 1), Subscription.tag("T", "", 2))).isTrue();
        assertThat(SubscriptionConflicts.selectsAlike(Subscription.tag("T", "a", 1), Subscription.tag("T", "a || b", 1)))
                .isFalse();
        assertThat(SubscriptionConflicts.selectsAlike(Subscription.tag("T", "*", 1), Subscription.tag("T", "a", 1)))
                .isFalse();
        assertThat(SubscriptionConflicts.selectsAlike(Subscription.sql92("T", "a > 1", 1),
                Subscription.sql92("T", " a > 1 ", 2))).isTrue();
        assertThat(SubscriptionConflicts.selectsAlike(Subscription.sql92("T", "a > 1", 1),
                Subscription.sql92("T", "a > 2", 1))).isFalse();
        assertThat(SubscriptionConflicts.selectsAlike(Subscription.sql92("T", "a", 1), Subscription.tag("T", "a", 1)))
                .isFalse();
        assertThat(SubscriptionConflicts.selectsAlike(Subscription.tag("T", "a", 1), null)).isFalse();
        assertThat(SubscriptionConflicts.selectsAlike(null, null)).isTrue();
    }
}
