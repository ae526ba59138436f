package dev.mq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTest {

    @Test
    void aBuilderChangedAfterBuildLeavesTheBuiltMessageAlone() {
        Message.Builder builder = Message.builder("T").keys("k1").property("a", "1");
        Message first = builder.build();
        builder.keys("k2").property("b", "2").properties(Map.of("c", "3"));
        Message second = builder.build();
        builder.keys(List.of("k3"));

        assertThat(first.keys()).containsExactly("k1");
        assertThat(first.properties()).containsExactly(Map.entry("a", "1"));
        assertThat(second.keys()).containsExactly("k1", "k2");
        assertThat(second.properties()).containsOnlyKeys("a", "b", "c");
        assertThat(builder.build().keys()).containsExactly("k1", "k2", "k3");
    }

    @Test
    void keysAndPropertiesOfABuiltMessageCannotBeChanged() {
        Message m = Message.builder("T").keys("k").property("a", "1").build();
        assertThatThrownBy(() -> m.keys().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.properties().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        Message empty = Message.builder("T").build();
        assertThat(empty.keys()).isEmpty();
        assertThat(empty.properties()).isEmpty();
    }
}
