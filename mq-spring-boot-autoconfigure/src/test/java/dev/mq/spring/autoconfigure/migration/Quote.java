package dev.mq.spring.autoconfigure.migration;

/** A price asked for by request-reply in the migration example. */
public record Quote(String orderId, long cents) {
}
