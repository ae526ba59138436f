package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.mq.core.MQException;
import dev.mq.core.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

    private static final int MAX = 1024;

    private static Message.Builder ok() {
        return Message.builder("Orders").body("x");
    }

    private static Executable message(Message.Builder b) {
        return () -> Validation.checkMessage(b.build(), MAX);
    }

    private static Executable topic(String t) {
        return () -> Validation.checkTopic(t);
    }

    private static Executable group(String g) {
        return () -> Validation.checkGroup(g);
    }

    static Stream<Arguments> badInput() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("p", null);
        Map<String, String> nullName = new HashMap<>();
        nullName.put(null, "v");
        return Stream.of(
                arguments("null topic", topic(null), "topic is null"),
                arguments("empty topic", topic(""), "topic '' is blank"),
                arguments("blank topic", topic("  "), "topic '  ' is blank"),
                arguments("space in topic", topic("a b"),
                        "topic 'a b' contains illegal characters: only letters, digits, '%', '|', '_' and '-' are allowed"),
                arguments("dot in topic", topic("a.b"), "topic 'a.b' contains illegal characters"),
                arguments("non-ASCII topic", topic("tópico"), "topic 'tópico' contains illegal characters"),
                arguments("long topic", topic("t".repeat(128)), "is 128 characters long: at most 127 are allowed"),
                arguments("schedule topic", topic("SCHEDULE_TOPIC_XXXX"), "'SCHEDULE_TOPIC_XXXX' is a RocketMQ system topic"),
                arguments("half topic", topic("RMQ_SYS_TRANS_HALF_TOPIC"), "is a RocketMQ system topic"),
                arguments("op half topic", topic("RMQ_SYS_TRANS_OP_HALF_TOPIC"), "is a RocketMQ system topic"),
                arguments("check max topic", topic("TRANS_CHECK_MAX_TIME_TOPIC"), "is a RocketMQ system topic"),
                arguments("self test topic", topic("SELF_TEST_TOPIC"), "is a RocketMQ system topic"),
                arguments("offset moved topic", topic("OFFSET_MOVED_EVENT"), "is a RocketMQ system topic"),
                arguments("TBW102", topic("TBW102"), "'TBW102' is a RocketMQ system topic"),
                arguments("rmq_sys_ prefix", topic("rmq_sys_wheel"), "'rmq_sys_wheel' is a RocketMQ system topic"),
                arguments("null group", group(null), "group is null"),
                arguments("blank group", group(" "), "group ' ' is blank"),
                arguments("bad group char", group("pg#1"), "group 'pg#1' contains illegal characters"),
                arguments("long group", group("g".repeat(256)), "is 256 characters long: at most 255 are allowed"),
                arguments("null message", (Executable) () -> Validation.checkMessage(null, MAX), "message is null"),
                arguments("bad message topic", message(Message.builder("a/b").body("x")), "topic 'a/b' contains illegal"),
                arguments("null body", message(ok().body((byte[]) null)), "message body is null"),
                arguments("empty body", message(ok().body(new byte[0])), "message body is empty"),
                arguments("big body", message(ok().body(new byte[MAX + 1])), "message body is 1025 bytes: at most 1024"),
                arguments("blank tags", message(ok().tags(" ")), "tags ' ' is blank"),
                arguments("empty tags", message(ok().tags("")), "tags '' is blank"),
                arguments("separator in tags", message(ok().tags("a\u0001b")), "tags 'a\\u0001b' contains \\u0001 or \\u0002"),
                arguments("empty key", message(ok().keys("k1", "")), "message key #1 is empty"),
                arguments("space in key", message(ok().keys("a b")), "message key 'a b' contains a space"),
                arguments("separator in key", message(ok().keys("a\u0002")), "message key 'a\\u0002' contains"),
                arguments("reserved property", message(ok().property("KEYS", "x")),
                        "message property name 'KEYS' is reserved"),
                arguments("reserved timer property", message(ok().property("TIMER_DELAY_SEC", "5")),
                        "'TIMER_DELAY_SEC' is reserved"),
                arguments("empty property name", message(ok().property("", "v")), "message property name is empty"),
                arguments("null property name", message(ok().properties(nullName)), "message property name is null"),
                arguments("empty property value", message(ok().property("p", "")), "message property 'p' has an empty value"),
                arguments("null property value", message(ok().properties(nullValue)), "message property 'p' has a null value"),
                arguments("separator in name", message(ok().property("a\u0001", "v")),
                        "message property name 'a\\u0001' contains"),
                arguments("separator in value", message(ok().property("p", "v\u0002")),
                        "value 'v\\u0002' of message property 'p' contains"),
                arguments("negative level", message(ok().delayLevel(-1)), "delay level -1 is negative"),
                arguments("negative delay", message(ok().deliveryDelay(Duration.ofMillis(-5))),
                        "delivery delay PT-0.005S is negative"),
                arguments("huge delay", message(ok().deliveryDelay(Duration.ofSeconds(Long.MAX_VALUE))),
                        "too long to express in milliseconds"),
                arguments("deliver before epoch", message(ok().deliverAt(Instant.EPOCH.minusMillis(1))),
                        "outside the range of epoch milliseconds"),
                arguments("level and delay", message(ok().delayLevel(2).deliveryDelay(Duration.ofSeconds(1))),
                        "asks for 2 kinds of delay"),
                arguments("delay and deliverAt", message(ok().deliveryDelay(Duration.ofSeconds(1))
                        .deliverAt(Instant.ofEpochMilli(5))), "set only one"),
                arguments("all three delays", message(ok().delayLevel(1).deliveryDelay(Duration.ZERO)
                        .deliverAt(Instant.ofEpochMilli(5))), "asks for 3 kinds of delay"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputFailsWithAMessageNamingValueAndRule(String name, Executable check, String expected) {
        assertThatThrownBy(check::execute)
                .isInstanceOf(MQException.class)
                .hasMessageContaining(expected)
                .extracting(e -> ((MQException) e).reason()).isEqualTo(MQException.Reason.VALIDATION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Orders", "a", "%RETRY%group", "A|B", "under_score-dash", "0123456789",
        "rmq_SYS_notReally", "RMQ_SYS_TRANS_HALF_TOPIC2", "tbw102"})
    void goodTopics(String topic) {
        assertThatCode(() -> Validation.checkTopic(topic)).doesNotThrowAnyException();
    }

    @Test
    void topicAndGroupLengthLimitsAreInclusive() {
        assertThatCode(() -> Validation.checkTopic("t".repeat(127))).doesNotThrowAnyException();
        assertThatCode(() -> Validation.checkGroup("g".repeat(255))).doesNotThrowAnyException();
        assertThatCode(() -> Validation.checkGroup("TBW102")).doesNotThrowAnyException();
    }

    static Stream<Message.Builder> goodMessages() {
        return Stream.of(
                ok(),
                ok().body(new byte[MAX]),
                ok().tags("TagA").keys("k1", "k2").property("tenant", "acme").property("CONTENT_TYPE", "json"),
                ok().property("unicode", "中文 with spaces"),
                ok().delayLevel(3),
                ok().delayLevel(0).deliveryDelay(Duration.ZERO),
                ok().deliveryDelay(Duration.ofDays(2)),
                ok().deliverAt(Instant.ofEpochMilli(1_700_000_000_000L)),
                ok().flag(-1));
    }

    @ParameterizedTest
    @MethodSource("goodMessages")
    void goodMessages(Message.Builder b) {
        assertThatCode(() -> Validation.checkMessage(b.build(), MAX)).doesNotThrowAnyException();
    }

    @Test
    void longValuesAreShortenedInMessages() {
        String topic = "x y" + "z".repeat(10_000);
        assertThatThrownBy(() -> Validation.checkTopic(topic))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300).contains("'x yzz", "...'"));
    }

    @Test
    void propertiesSizeLimitIsTheInt16Maximum() {
        assertThatCode(() -> Validation.checkPropertiesSize("a".repeat(32_767))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Validation.checkPropertiesSize("é".repeat(16_384)))
                .isInstanceOf(MQException.class).hasMessageContaining("32768 bytes").hasMessageContaining("32767");
    }
}
