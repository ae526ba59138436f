package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeartbeatBodyTest {

    @Test
    void matchesThe498Form() {
        byte[] body = HeartbeatBody.encode("10.0.0.1@1234#5678", List.of("PG"));
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(
                "{\"clientID\":\"10.0.0.1@1234#5678\",\"consumerDataSet\":[],\"producerDataSet\":[{\"groupName\":\"PG\"}]}");
    }

    @Test
    void listsEveryGroupInOrder() {
        assertThat(new String(HeartbeatBody.encode("c", List.of("A", "B", "C")), StandardCharsets.UTF_8)).isEqualTo(
                "{\"clientID\":\"c\",\"consumerDataSet\":[],\"producerDataSet\":"
                        + "[{\"groupName\":\"A\"},{\"groupName\":\"B\"},{\"groupName\":\"C\"}]}");
        assertThat(new String(HeartbeatBody.encode("c", List.of()), StandardCharsets.UTF_8))
                .isEqualTo("{\"clientID\":\"c\",\"consumerDataSet\":[],\"producerDataSet\":[]}");
    }

    @Test
    void escapesStringsSoAParserReadsThemBack() {
        String clientId = "host@\"quoted\" back\\slash\ttab\u0001ctl \u00e9";
        byte[] body = HeartbeatBody.encode(clientId, List.of("g\"1\n"));
        String json = new String(body, StandardCharsets.UTF_8);

        assertThat(json).contains("\\\"quoted\\\"", "back\\\\slash", "\\ttab", "\\u0001ctl", "\u00e9", "g\\\"1\\n");
        Map<?, ?> parsed = ProtocolJson.MAPPER.readValue(body, Map.class);
        assertThat(parsed.get("clientID")).isEqualTo(clientId);
        assertThat(parsed.get("producerDataSet")).isEqualTo(List.of(Map.of("groupName", "g\"1\n")));
    }
}
