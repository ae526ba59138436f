package dev.mq.spring.autoconfigure.migration;

/** An order of the migration example, sent as JSON. */
public record Order(String id, int amount) {
}
