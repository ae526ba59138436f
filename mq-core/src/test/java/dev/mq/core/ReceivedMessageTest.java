package dev.mq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builder takes snapshots, and what it builds cannot be changed by anyone. */
class ReceivedMessageTest {

    private static ReceivedMessage.Builder builder() {
        return ReceivedMessage.builder("orders", "id-1", new MessageQueue("orders", "broker-a", 0));
    }

    @Test
    void keysAndPropertiesAreSnapshotsTakenWhenGiven() {
        List<String> keys = new ArrayList<>(List.of("k1", "k2"));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("b", "2");
        properties.put("a", "1");
        ReceivedMessage.Builder builder = builder().keys(keys).properties(properties);
        keys.add("k3");
        properties.put("c", "3");

        ReceivedMessage first = builder.build();
        ReceivedMessage second = builder.properties(Map.of("z", "26")).build();

        assertThat(first.keys()).containsExactly("k1", "k2");
        assertThat(first.properties()).containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));
        assertThat(second.properties()).containsExactly(Map.entry("z", "26"));
        assertThat(first.properties()).as("an earlier message keeps its properties").hasSize(2);
    }

    @Test
    void keysAndPropertiesCannotBeChangedThroughTheMessage() {
        ReceivedMessage m = builder().keys(List.of("k")).properties(Map.of("a", "1")).build();
        ReceivedMessage empty = builder().build();

        assertThatThrownBy(() -> m.keys().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.properties().put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> empty.keys().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> empty.properties().put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(empty.keys()).isEmpty();
        assertThat(empty.properties()).isEmpty();
    }
}
