package dev.mq.spring.autoconfigure.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.spring.autoconfigure.MQProperties;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ACL secret key stays out of Actuator, over real HTTP, even for an application that asks
 * {@code configprops} and {@code env} to show values. Each check has a control: a harmless value of
 * the same kind is shown in clear, so the endpoint really does reveal what is not sensitive.
 */
@SpringBootTest(classes = E2EApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "mq.producer.group=secret-test-group",
            "mq.client.access-key=actuator-access",
            "mq.client.secret-key=" + ActuatorSecretTest.SECRET,
            "management.endpoints.web.exposure.include=health,configprops,env",
            "management.endpoint.health.show-details=always",
            "management.endpoint.configprops.show-values=always",
            "management.endpoint.env.show-values=always"
        })
@AutoConfigureRestTestClient
class ActuatorSecretTest {

    static final String SECRET = "Act-Secret-4d1f9b";

    @Autowired
    RestTestClient http;

    @Autowired
    MQProperties properties;

    @DynamicPropertySource
    static void nameServerNobodyListensOn(DynamicPropertyRegistry registry) throws IOException {
        // Health then reports DOWN at once (connection refused); what matters is what it shows.
        try (ServerSocket socket = new ServerSocket(0)) {
            registry.add("mq.name-server", () -> "127.0.0.1:" + socket.getLocalPort());
        }
    }

    private String get(String path) {
        return http.get().uri(path).exchange().returnResult(String.class).getResponseBody();
    }

    @Test
    void configpropsMasksTheSecretKeyButShowsTheGroup() {
        String body = get("/actuator/configprops");
        assertThat(body).doesNotContain(SECRET);
        JsonNode mq = findMqProperties(JsonMapper.shared().readTree(body));
        assertThat(mq.at("/properties/producer/group").asString()).isEqualTo("secret-test-group");
        assertThat(mq.at("/properties/client/secretKey").asString()).isEqualTo("******");
    }

    @Test
    void envMasksTheSecretKeyButShowsTheGroup() {
        String body = get("/actuator/env");
        assertThat(body).doesNotContain(SECRET);
        assertThat(get("/actuator/env/mq.producer.group")).contains("secret-test-group");
        assertThat(get("/actuator/env/mq.client.secret-key")).contains("******").doesNotContain(SECRET);
    }

    @Test
    void healthShowsTheClusterButNoCredentials() {
        String body = get("/actuator/health");
        JsonNode mq = JsonMapper.shared().readTree(body).get("components").get("mq");
        assertThat(mq.get("details").get("nameServers").toString()).contains("127.0.0.1");
        assertThat(body).doesNotContain(SECRET);
    }

    @Test
    void propertiesToStringMasksTheSecret() {
        assertThat(properties.getClient().getSecretKey()).isEqualTo(SECRET); // bound, so the checks above mean something
        assertThat(properties.getClient().toString()).contains("actuator-access").doesNotContain(SECRET);
    }

    private static JsonNode findMqProperties(JsonNode configprops) {
        for (JsonNode context : configprops.get("contexts")) {
            for (JsonNode bean : context.get("beans")) {
                if ("mq".equals(bean.path("prefix").asString())) {
                    return bean;
                }
            }
        }
        throw new AssertionError("no bean with prefix mq in " + configprops);
    }
}
