package dev.mq.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.MessageQueue;
import dev.mq.core.SendResult;
import dev.mq.core.SendStatus;
import dev.mq.core.internal.protocol.SendResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A send answer's queue offset read as a number straight from the header (no String) gives what its
 * text gives through the map and a general JSON parser — for plain offsets and for every odd form,
 * which falls back to the text — and the result built from it is the map path's.
 */
class SendAnswerFieldsTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final MessageQueue CHOSEN = new MessageQueue("T", "broker-a", 3);

    @Test
    void queueOffsetReadsAsItsText() {
        List<String> values = List.of("\"0\"", "\"7\"", "\"42\"", "\"100\"", "\"123456\"", "\"0123\"", "\"-5\"",
                "\"+5\"", "\"123456789012345678\"", "\"1234567890123456789\"", "\"9223372036854775807\"",
                "\"9223372036854775808\"", "\"abc\"", "\"\"", "\"1e3\"", "\" 123\"", "\"123 \"", "\"12\\u00353\"",
                "\"12\\\"3\"", "123456", "-42", "null", "true", "1.5");
        for (String value : values) {
            String header = "{\"code\":0,\"extFields\":{\"msgId\":\"C0A80001000078AF\",\"queueId\":\"5\","
                    + "\"queueOffset\":" + value + ",\"MSG_REGION\":\"DefaultRegion\"},\"flag\":1,\"opaque\":9}";
            RemotingCommand command = read(header);
            String text = jsonText(header, "queueOffset");
            assertThat(command.field("queueOffset")).as(value).isEqualTo(text);
            assertThat(command.longField("queueOffset", -1)).as(value).isEqualTo(HeaderFields.parseLong(text, -1));
            assertThat(command.extFields()).as(value).isEqualTo(jsonFields(header));
            assertSameResult(command);
        }
    }

    @Test
    void missingOffsetAndFieldsAreAbsent() {
        RemotingCommand none = read("{\"code\":0,\"extFields\":{\"msgId\":\"X\"},\"flag\":1,\"opaque\":1}");
        assertThat(none.longField("queueOffset", -1)).isEqualTo(-1);
        assertSameResult(none);
        RemotingCommand noFields = read("{\"code\":0,\"flag\":1,\"opaque\":1}");
        assertThat(noFields.longField("queueOffset", -1)).isEqualTo(-1);
        assertSameResult(noFields);
        RemotingCommand twice = read("{\"code\":0,\"extFields\":{\"queueOffset\":\"500\",\"queueOffset\":\"x\"},"
                + "\"flag\":1,\"opaque\":1}");
        assertThat(twice.longField("queueOffset", -1)).isEqualTo(-1); // the last one wins, as in a map
        assertThat(twice.field("queueOffset")).isEqualTo("x");
    }

    @Test
    void aCommandBuiltWithAPlainMapReadsTheSame() {
        RemotingCommand built = new RemotingCommand(0, null, 0, 1, 1, null, Map.of("queueOffset", "77"), null);
        assertThat(built.longField("queueOffset", -1)).isEqualTo(77);
        assertThat(new RemotingCommand(0, null, 0, 1, 1, null, Map.of("queueOffset", "7x"), null)
                .longField("queueOffset", -1)).isEqualTo(-1);
    }

    private static void assertSameResult(RemotingCommand command) {
        Map<String, String> plain = new HashMap<>(command.extFields());
        SendResult viaMap = SendResponse.result(SendStatus.SEND_OK, plain, "T", CHOSEN, List.of("ID"));
        SendResult direct = SendResponse.result(SendStatus.SEND_OK, command.extFields(),
                command.longField(SendResponse.QUEUE_OFFSET, -1), "T", CHOSEN, List.of("ID"));
        assertThat(direct).isEqualTo(viaMap);
    }

    private static RemotingCommand read(String header) {
        byte[] bytes = header.getBytes(StandardCharsets.UTF_8);
        return JsonHeaderReader.read(bytes, 0, bytes.length, null);
    }

    /** The field as a general parser reads it, in the reader's text form (numbers and literals as written). */
    private static @Nullable String jsonText(String header, String name) {
        Map<String, String> fields = jsonFields(header);
        return fields.get(name);
    }

    private static Map<String, String> jsonFields(String header) {
        Map<String, String> fields = new HashMap<>();
        var ext = MAPPER.readTree(header).get("extFields");
        if (ext != null) {
            for (var entry : ext.properties()) {
                fields.put(entry.getKey(), entry.getValue().isNull() ? null
                        : entry.getValue().isString() ? entry.getValue().stringValue() : entry.getValue().toString());
            }
        }
        return fields;
    }
}
