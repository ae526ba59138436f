package dev.mq.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.json.JsonMapper;

/** The sample as the README runs it: no name server configured, so the embedded broker serves it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class SampleApplicationTest {

    @Autowired
    RestTestClient http;

    @Autowired
    Environment environment;

    @Test
    void startsAnEmbeddedBrokerAndSendsAnOrderOverHttp() {
        assertThat(environment.getProperty("mq.name-server")).startsWith("127.0.0.1:");
        String body = http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .body("{\"id\":\"o-1\",\"amount\":7}").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody();
        assertThat(body).contains("\"status\":\"SEND_OK\"").contains("Orders@broker-0");
        String health = http.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody();
        assertThat(JsonMapper.shared().readTree(health).get("components").get("mq").get("status").asString())
                .isEqualTo("UP");
    }
}
