package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.testing.ForAll;
import dev.mq.core.testing.Gen;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hand-written header reader against Jackson: random headers written by Jackson decode to what
 * Jackson's own tree says they hold, and what Jackson refuses, the reader refuses.
 */
class JsonHeaderReaderTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] INT_FIELDS = {"code", "version", "opaque", "flag"};

    @Test
    void randomHeadersDecodeToWhatJacksonReadsInThem() {
        ForAll.check("header decodes like Jackson", 3_000, JsonHeaderReaderTest::randomHeader, json -> {
            Expected expected = expected(json);
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            if (expected == null) {
                assertThatThrownBy(() -> read(bytes)).isExactlyInstanceOf(CorruptedFrameException.class);
                return;
            }
            RemotingCommand c = read(bytes);
            assertThat(c.code()).isEqualTo(expected.ints.getOrDefault("code", 0));
            assertThat(c.version()).isEqualTo(expected.ints.getOrDefault("version", 0));
            assertThat(c.opaque()).isEqualTo(expected.ints.getOrDefault("opaque", 0));
            assertThat(c.flag()).isEqualTo(expected.ints.getOrDefault("flag", 0));
            assertThat(c.language()).isEqualTo(expected.language);
            assertThat(c.remark()).isEqualTo(expected.remark);
            assertThat(c.extFields()).isEqualTo(expected.extFields);
        });
    }

    @Test
    void truncatedHeadersAreRefused() {
        ForAll.check("truncated header refused", 1_000, r -> {
            String json = randomHeader(r);
            return json.substring(0, r.nextInt(json.length()));
        }, json -> assertThatThrownBy(() -> read(json.getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(CorruptedFrameException.class));
    }

    @Test
    void integersFollowJsonStrictlyAndMustFitAnInt() {
        assertThat(read("{\"code\":-7,\"opaque\":\"42\",\"flag\":2147483647}")).satisfies(c -> {
            assertThat(c.code()).isEqualTo(-7);
            assertThat(c.opaque()).isEqualTo(42);
            assertThat(c.flag()).isEqualTo(Integer.MAX_VALUE);
        });
        for (String bad : new String[] {"01", "2147483648", "1.0", "1e3", "-", "+1", "\"x\"", "null", "true", "[]", "{}",
            "99999999999999999999999"}) {
            assertThatThrownBy(() -> read("{\"code\":" + bad + "}")).as(bad)
                    .isExactlyInstanceOf(CorruptedFrameException.class).hasMessageContaining("malformed JSON header");
        }
    }

    @Test
    void escapedNamesAndWhitespaceAreJson() {
        RemotingCommand c = read(" {\n\t\"\\u0063ode\" : 5 , \"extFields\" : { \"k\\n\" : \"v\\u00e9\\\"\" } }");
        assertThat(c.code()).isEqualTo(5);
        assertThat(c.extFields()).containsExactly(Map.entry("k\n", "v\u00e9\""));
    }

    @Test
    void nothingNestedPassesForAHeaderField() {
        RemotingCommand c = read("{\"x\":{\"code\":9,\"opaque\":9},\"extFields\":{\"a\":{\"code\":8},\"b\":[1],\"c\":2},"
                + "\"code\":1}");
        assertThat(c.code()).isEqualTo(1);
        assertThat(c.opaque()).isZero();
        assertThat(c.extFields()).containsExactly(Map.entry("c", "2"));
        assertThatThrownBy(() -> read("{\"remark\":{\"code\":3}}")).hasMessageContaining("remark");
        assertThatThrownBy(() -> read("{\"extFields\":\"text\"}")).hasMessageContaining("extFields");
    }

    @Test
    void deepNestingIsRefusedWithoutExhaustingTheStack() {
        String deep = "{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThatThrownBy(() -> read(deep)).isExactlyInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("deeper");
    }

    @Test
    void controlCharactersMustBeEscaped() {
        assertThatThrownBy(() -> read("{\"remark\":\"a\u0001b\"}")).isExactlyInstanceOf(CorruptedFrameException.class);
        assertThat(read("{\"remark\":\"a\\u0001b\"}").remark()).isEqualTo("a\u0001b");
    }

    // ---- the reference: Jackson's tree ----

    private record Expected(Map<String, Integer> ints, String language, String remark, Map<String, String> extFields) {
    }

    /** What the header holds according to Jackson, or null if it is not a valid header. */
    private static Expected expected(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            return null;
        }
        if (!root.isObject()) {
            return null;
        }
        Map<String, Integer> ints = new HashMap<>();
        for (String name : INT_FIELDS) {
            JsonNode v = root.get(name);
            if (v == null) {
                continue;
            }
            if (v.isInt()) {
                ints.put(name, v.intValue());
            } else if (v.isString()) {
                try {
                    ints.put(name, Integer.parseInt(v.stringValue()));
                } catch (NumberFormatException e) {
                    return null;
                }
            } else {
                return null;
            }
        }
        String[] texts = new String[2];
        String[] textFields = {"language", "remark"};
        for (int i = 0; i < 2; i++) {
            JsonNode v = root.get(textFields[i]);
            if (v != null && v.isContainer()) {
                return null;
            }
            texts[i] = v == null || v.isNull() ? null : v.asString();
        }
        Map<String, String> ext = Map.of();
        JsonNode fields = root.get("extFields");
        if (fields != null && !fields.isNull()) {
            if (!fields.isObject()) {
                return null;
            }
            ext = new HashMap<>();
            for (Map.Entry<String, JsonNode> e : fields.properties()) {
                JsonNode v = e.getValue();
                if (!v.isContainer()) {
                    ext.put(e.getKey(), v.isNull() ? null : v.asString());
                }
            }
        }
        return new Expected(ints, texts[0], texts[1], ext);
    }

    // ---- random headers, written by Jackson ----

    private static String randomHeader(Random r) {
        ObjectNode root = NODES.objectNode();
        for (String name : INT_FIELDS) {
            switch (r.nextInt(8)) {
                case 0 -> { } // absent
                case 1 -> root.put(name, Integer.toString(Gen.anInt(r)));
                case 2 -> root.put(name, r.nextLong()); // may not fit an int
                case 3 -> root.put(name, Gen.text(r, 4));
                default -> root.put(name, Gen.anInt(r));
            }
        }
        root.set("language", scalar(r));
        root.set("remark", r.nextInt(10) == 0 ? container(r, 2) : scalar(r));
        if (r.nextInt(6) > 0) {
            ObjectNode ext = NODES.objectNode();
            int n = r.nextInt(6);
            for (int i = 0; i < n; i++) {
                ext.set(Gen.text(r, 6), r.nextInt(6) == 0 ? container(r, 2) : scalar(r));
            }
            root.set("extFields", ext);
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            root.set("unknown" + i, r.nextBoolean() ? container(r, 3) : scalar(r));
        }
        return MAPPER.writeValueAsString(root);
    }

    private static JsonNode scalar(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(r.nextBoolean());
            case 2 -> NODES.numberNode(r.nextInt());
            case 3 -> NODES.numberNode(r.nextLong());
            default -> NODES.stringNode(Gen.text(r, 12));
        };
    }

    private static JsonNode container(Random r, int depth) {
        if (r.nextBoolean()) {
            ArrayNode array = NODES.arrayNode();
            for (int i = r.nextInt(3); i > 0; i--) {
                array.add(depth > 0 && r.nextBoolean() ? container(r, depth - 1) : scalar(r));
            }
            if (r.nextInt(4) == 0) {
                array.add(NODES.numberNode(r.nextDouble() * 1e6)); // fractions and exponents, skipped
            }
            return array;
        }
        ObjectNode object = NODES.objectNode();
        for (int i = r.nextInt(3); i > 0; i--) {
            object.set(r.nextInt(4) == 0 ? "code" : Gen.text(r, 4),
                    depth > 0 && r.nextBoolean() ? container(r, depth - 1) : scalar(r));
        }
        return object;
    }

    @Test
    void oneReaderUsedAgainReadsEachHeaderAfresh() {
        // The frame decoder keeps one reader per connection: nothing of one header (its position,
        // its bounds, a failure half-way) may carry over into the next.
        JsonHeaderReader reader = new JsonHeaderReader();
        byte[] first = "{\"code\":1,\"opaque\":11,\"extFields\":{\"a\":\"x\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] broken = "{\"code\":2,\"opaque\":".getBytes(StandardCharsets.UTF_8);
        byte[] padded = "...{\"opaque\":33,\"remark\":\"r\"}...".getBytes(StandardCharsets.UTF_8);

        RemotingCommand one = reader.decode(first, 0, first.length, null);
        assertThat(one.code()).isEqualTo(1);
        assertThat(one.opaque()).isEqualTo(11);
        assertThat(one.extFields()).containsExactly(Map.entry("a", "x"));
        assertThatThrownBy(() -> reader.decode(broken, 0, broken.length, null))
                .isInstanceOf(CorruptedFrameException.class);
        RemotingCommand three = reader.decode(padded, 3, padded.length - 6, null);
        assertThat(three.code()).isZero();
        assertThat(three.opaque()).isEqualTo(33);
        assertThat(three.remark()).isEqualTo("r");
        assertThat(three.extFields()).isEmpty();
    }

    private static RemotingCommand read(String json) {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static RemotingCommand read(byte[] bytes) {
        return JsonHeaderReader.read(bytes, 0, bytes.length, null);
    }
}
