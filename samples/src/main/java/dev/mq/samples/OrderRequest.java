package dev.mq.samples;

/** An order as the sample receives it over HTTP and sends it as JSON. */
public record OrderRequest(String id, int amount) {
}
