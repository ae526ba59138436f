package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessagePropertiesTest {

    private static final char S1 = '\u0001';
    private static final char S2 = '\u0002';

    @Test
    void encodesPairsInIterationOrderWithTrailingSeparator() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("b", "2");
        map.put("a", "1");
        assertThat(MessageProperties.encode(map)).isEqualTo("b" + S1 + "2" + S2 + "a" + S1 + "1" + S2);
        assertThat(MessageProperties.encode(Map.of())).isEmpty();
    }

    @Test
    void decodesTheFactSheetSample() {
        String wire = "KEYS\u0001k1 k2\u0002UNIQ_KEY\u0001FD00\u0002WAIT\u0001true\u0002TAGS\u0001TagA\u0002";
        assertThat(MessageProperties.decode(wire)).containsExactly(
                Map.entry("KEYS", "k1 k2"), Map.entry("UNIQ_KEY", "FD00"),
                Map.entry("WAIT", "true"), Map.entry("TAGS", "TagA"));
    }

    @Test
    void decodeDropsShortEmptyAndSeparatorlessSegments() {
        String wire = "ab" + S2                  // shorter than 3
                + "a" + S1 + S2                  // 2 chars
                + "abc" + S2                     // no name/value separator
                + S1 + "value" + S2              // empty name
                + "name" + S1 + S2               // empty value
                + S2                             // empty segment
                + "k" + S1 + "v";                // last pair without trailing separator is kept
        assertThat(MessageProperties.decode(wire)).containsExactly(Map.entry("k", "v"));
    }

    @Test
    void decodeSplitsAtTheFirstSeparatorAndLastDuplicateWins() {
        String wire = "k" + S1 + "v" + S1 + "w" + S2 + "x" + S1 + "1" + S2 + "k" + S1 + "last" + S2;
        Map<String, String> map = MessageProperties.decode(wire);
        assertThat(map).containsExactly(Map.entry("k", "last"), Map.entry("x", "1"));
        assertThat(MessageProperties.decode("k" + S1 + "v" + S1 + "w")).containsEntry("k", "v" + S1 + "w");
    }

    @Test
    void decodeOfNothingIsAnEmptyMutableMap() {
        assertThat(MessageProperties.decode(null)).isEmpty();
        Map<String, String> map = MessageProperties.decode("");
        map.put("x", "y");
        assertThat(map).hasSize(1);
    }

    @Test
    void encodeAndDecodeRoundTrip() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("tenant", "acme");
        map.put("中文", "värde €");
        map.put("emoji", "\uD83D\uDE00");
        assertThat(MessageProperties.decode(MessageProperties.encode(map))).isEqualTo(map);
    }

    @Test
    void reservedNamesAreTheSystemOnes() {
        for (String name : new String[] {"KEYS", "TAGS", "WAIT", "UNIQ_KEY", "DELAY", "TRAN_MSG", "PGROUP",
                "MAX_OFFSET", "MIN_OFFSET", "REAL_TOPIC", "REAL_QID", "RETRY_TOPIC", "RECONSUME_TIME",
                "MAX_RECONSUME_TIMES", "ORIGIN_MESSAGE_ID", "MSG_REGION", "TRACE_ON", "CLUSTER", "CORRELATION_ID",
                "REPLY_TO_CLIENT", "TTL", "MSG_TYPE", "ARRIVE_TIME", "PUSH_REPLY_TIME", "INSTANCE_ID",
                "TIMER_DELIVER_MS", "TIMER_DELAY_MS", "TIMER_DELAY_SEC", "TIMER_OUT_MS", "TIMER_ENQUEUE_MS",
                "TIMER_DEQUEUE_MS", "TIMER_ROLL_TIMES", "TIMER_DEL_UNIQKEY", "INNER_NUM", "INNER_BASE",
                "TRANSACTION_CHECK_TIMES", "CHECK_IMMUNITY_TIME_IN_SECONDS", "__transactionId__", "__SHARDINGKEY",
                "__STARTDELIVERTIME"}) {
            assertThat(MessageProperties.isReserved(name)).as(name).isTrue();
        }
        assertThat(MessageProperties.isReserved("CONTENT_TYPE")).isFalse();
        assertThat(MessageProperties.isReserved("tags")).isFalse();
        assertThat(MessageProperties.isReserved("tenant")).isFalse();
        assertThat(MessageProperties.isReserved(null)).isFalse();
    }

    @Test
    void encodesAMessageInTheDocumentedOrder() {
        Message m = Message.builder("T").property("tenant", "acme").property("b", "2").tags("TagA")
                .keys("k1", "k2").delayLevel(3).body("x").build();
        assertThat(MessageProperties.encode(m, "ID1", true)).isEqualTo(
                "tenant" + S1 + "acme" + S2 + "b" + S1 + "2" + S2 + "TAGS" + S1 + "TagA" + S2
                        + "KEYS" + S1 + "k1 k2" + S2 + "DELAY" + S1 + "3" + S2
                        + "UNIQ_KEY" + S1 + "ID1" + S2 + "WAIT" + S1 + "true" + S2);
    }

    @Test
    void encodesAMinimalMessage() {
        Message m = Message.builder("T").body("x").build();
        assertThat(MessageProperties.encode(m, null, false)).isEqualTo("WAIT" + S1 + "false" + S2);
        assertThat(MessageProperties.encode(m, "U", true))
                .isEqualTo("UNIQ_KEY" + S1 + "U" + S2 + "WAIT" + S1 + "true" + S2);
    }

    @Test
    void encodesTimerDelays() {
        Message relative = Message.builder("T").body("x").deliveryDelay(Duration.ofSeconds(90)).build();
        assertThat(MessageProperties.decode(MessageProperties.encode(relative, "U", true)))
                .containsEntry("TIMER_DELAY_MS", "90000").doesNotContainKeys("DELAY", "TIMER_DELIVER_MS");

        Message absolute = Message.builder("T").body("x").deliverAt(Instant.ofEpochMilli(1_700_000_000_123L)).build();
        assertThat(MessageProperties.decode(MessageProperties.encode(absolute, "U", true)))
                .containsEntry("TIMER_DELIVER_MS", "1700000000123").doesNotContainKeys("DELAY", "TIMER_DELAY_MS");
    }

    @Test
    void messageEncodingRoundTripsThroughDecode() {
        Message m = Message.builder("T").property("p", "中文").tags("t").keys("only").body("x")
                .deliverAt(Instant.ofEpochMilli(Long.MAX_VALUE)).build();
        Map<String, String> decoded = MessageProperties.decode(MessageProperties.encode(m, "ABC", true));
        assertThat(decoded).containsExactly(Map.entry("p", "中文"), Map.entry("TAGS", "t"), Map.entry("KEYS", "only"),
                Map.entry("TIMER_DELIVER_MS", String.valueOf(Long.MAX_VALUE)), Map.entry("UNIQ_KEY", "ABC"),
                Map.entry("WAIT", "true"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ascii", "ä", "中文", "\uD83D\uDE00", "a\uD83D", "\uDE00b", "\uDE00\uD83D", "\u07FF\u0800"})
    void utf8LengthMatchesTheEncoder(String s) {
        assertThat(MessageProperties.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void utf8LengthMatchesTheEncoderOnRandomText() {
        Random random = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            char[] chars = new char[random.nextInt(20)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
            }
            String s = new String(chars);
            assertThat(MessageProperties.utf8Length(s)).as("round %d", round)
                    .isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
