package dev.mq.samples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample as {@code spring-boot:process-aot} left it, run on the JVM in AOT mode
 * ({@code -Dspring.aot.enabled=true}, set by the failsafe configuration): its context comes from the
 * generated code, not from scanning and conditions, and {@code POST /orders} still sends and the
 * listener still receives, on the embedded broker. Runs in {@code mvn verify}, after the
 * prepare-package phase that processes the application.
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleAotIT {

    private static JsonNode reflectionHint(JsonNode metadata, String type) {
        for (JsonNode hint : metadata.get("reflection")) {
            if (hint.get("type").asString().equals(type)) {
                return hint;
            }
        }
        throw new AssertionError("no reflection hint for " + type);
    }

    /** What a native image of the sample would be built with: the starter's and the listener's hints. */
    @Test
    void theGeneratedNativeImageMetadataHoldsTheHintsOfTheStarterAndTheListener() throws Exception {
        JsonNode metadata = JsonMapper.shared().readTree(new ClassPathResource(
                "META-INF/native-image/dev.mq/mq-samples/reachability-metadata.json").getContentAsString(UTF_8));
        assertThat(reflectionHint(metadata, "dev.mq.samples.OrderListener").get("methods").toString())
                .contains("\"onOrder\"");
        assertThat(reflectionHint(metadata, "dev.mq.samples.OrderRequest").get("methods").toString())
                .contains("\"id\"").contains("\"amount\"");
        assertThat(reflectionHint(metadata, "dev.mq.core.internal.protocol.TopicRouteData").get("methods")
                .toString()).contains("\"brokerDatas\"");
        assertThat(metadata.get("resources").toString()).contains("transaction-log");
    }

    @Test
    void theAotProcessedApplicationSendsAndReceivesAnOrder(CapturedOutput output) throws Exception {
        assertThat(AotDetector.useGeneratedArtifacts()).as("spring.aot.enabled").isTrue();
        assertThat(ClassUtils.isPresent(SampleApplication.class.getName() + "__ApplicationContextInitializer",
                getClass().getClassLoader())).as("the code process-aot generated").isTrue();

        SpringApplication application = new SpringApplication(SampleApplication.class);
        // As main() would: the generated initializer is found by the main class's name.
        application.setMainApplicationClass(SampleApplication.class);
        try (ConfigurableApplicationContext context = application.run("--server.port=0")) {
            // Bean definitions registered by generated code carry their instance supplier.
            assertThat(((RootBeanDefinition) context.getBeanFactory().getBeanDefinition("mqTemplate"))
                    .getInstanceSupplier()).isNotNull();
            assertThat(context.getEnvironment().getProperty("mq.name-server")).startsWith("127.0.0.1:");

            String port = context.getEnvironment().getRequiredProperty("local.server.port");
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                    .uri(URI.create("http://127.0.0.1:" + port + "/orders"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"o-aot\",\"amount\":5}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"status\":\"SEND_OK\"").contains("Orders@broker-0");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!output.getOut().contains("received order o-aot (amount 5)") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(output.getOut()).contains("received order o-aot (amount 5) from Orders@broker-0");
        }
    }
}
