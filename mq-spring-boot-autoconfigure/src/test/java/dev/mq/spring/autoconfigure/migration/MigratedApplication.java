package dev.mq.spring.autoconfigure.migration;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The worked example of {@code docs/migrating-from-rocketmq-spring.md}, after the move: an order
 * service that sends ({@link OrderEvents}), listeners that receive and reply ({@link OrderListeners}),
 * configured by {@code migration/application.yml}. {@link MigrationGuideTest} runs it.
 */
@SpringBootApplication
public class MigratedApplication {
}
