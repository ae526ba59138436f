package dev.mq.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
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
@ExtendWith(OutputCaptureExtension.class)
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
        assertThat(JsonMapper.shared().readTree(health).get("components").get("mq").get("details").get("listeners")
                .get("sample-orders").get("state").asString()).isEqualTo("RUNNING");
    }

    @Test
    void theOrderListenerReceivesWhatWasSent(CapturedOutput output) throws InterruptedException {
        http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .body("{\"id\":\"o-42\",\"amount\":3}").exchange().expectStatus().isOk();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!output.getOut().contains("received order o-42 (amount 3)") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(output.getOut()).contains("received order o-42 (amount 3) from Orders@broker-0");
        String metric = http.get().uri("/actuator/metrics/mq.consumer.process?tag=group:sample-orders")
                .exchange().expectStatus().isOk().returnResult(String.class).getResponseBody();
        assertThat(JsonMapper.shared().readTree(metric).get("measurements").get(0).get("value").asDouble())
                .isGreaterThanOrEqualTo(1);
    }
}
