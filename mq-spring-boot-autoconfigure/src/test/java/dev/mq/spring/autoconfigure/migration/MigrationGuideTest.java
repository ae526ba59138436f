package dev.mq.spring.autoconfigure.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.SendResult;
import dev.mq.test.EmbeddedRocketMQ;
import dev.mq.test.WithEmbeddedRocketMQ;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The worked example of {@code docs/migrating-from-rocketmq-spring.md} runs: the migrated application,
 * configured by the guide's {@code application.yml}, sends a plain, an orderly (async) and a delayed
 * message and a request, and its listeners receive each and answer the request. The guide's code
 * blocks marked {@code <!-- verbatim: path -->} are checked to appear in those sources word for word,
 * so that guide and code cannot drift apart.
 */
@WithEmbeddedRocketMQ(shared = true, brokerProperties = "messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s")
class MigrationGuideTest {

    static final String GUIDE = "docs/migrating-from-rocketmq-spring.md";
    static final Pattern VERBATIM = Pattern.compile("<!-- verbatim: (\\S+) -->\\s*```[a-z]*\\n(.*?)\\n```",
            Pattern.DOTALL);

    @Test
    void theMigratedApplicationSendsReceivesAndReplies(EmbeddedRocketMQ mq) {
        mq.createTopic("MigOrders", 4);
        mq.createTopic("MigQuotes", 4);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(MigratedApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.config.location=classpath:/migration/application.yml")
                .run()) {
            OrderEvents events = app.getBean(OrderEvents.class);
            Order order = new Order("o-7", 3);

            assertThat(events.placed(order)).isNotBlank();
            SendResult shipped = events.shipped(order).join();
            assertThat(shipped.status()).isEqualTo(dev.mq.core.SendStatus.SEND_OK);
            events.remindLater(order);
            assertThat(events.quote(order)).as("the @MQListener method's return value is the reply")
                    .isEqualTo(new Quote("o-7", 750));

            List<String> recorded = app.getBean(Ledger.class).recorded.awaitUntil(
                    r -> r.containsAll(List.of("created:o-7", "shipped:o-7", "reminder:o-7")),
                    "the created, shipped and delayed reminder messages", Duration.ofSeconds(60));
            assertThat(recorded).as("each delivered once, the selector passing all three tags")
                    .containsExactlyInAnyOrder("created:o-7", "shipped:o-7", "reminder:o-7");
        }
    }

    @Test
    void theGuideShowsTheExampleSourcesVerbatim() throws IOException {
        Path root = projectRoot();
        String guide = Files.readString(root.resolve(GUIDE));
        Matcher blocks = VERBATIM.matcher(guide);
        List<String> checked = new ArrayList<>();
        while (blocks.find()) {
            String file = blocks.group(1);
            String source = Files.readString(root.resolve(file));
            assertThat(source).as("the guide's block from %s appears in it word for word", file)
                    .contains(blocks.group(2));
            checked.add(file);
        }
        assertThat(checked).as("the guide shows the producer, the listeners and the configuration from the sources")
                .anyMatch(f -> f.endsWith("OrderEvents.java"))
                .anyMatch(f -> f.endsWith("OrderListeners.java"))
                .anyMatch(f -> f.endsWith("migration/application.yml"));
    }

    /** The directory holding {@code docs/}: the build runs tests in the module's directory. */
    private static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(GUIDE))) {
                return dir;
            }
        }
        throw new AssertionError("no parent directory holds " + GUIDE);
    }
}
