package dev.mq.core.internal.transport;

/**
 * Receives the fields of a request header ({@code extFields} on the wire) one by one, so that
 * headers are written by plain code, never by reflection, and without building a map per request.
 */
public interface HeaderWriter {

    void field(String name, String value);

    default void field(String name, int value) {
        field(name, Integer.toString(value));
    }

    default void field(String name, long value) {
        field(name, Long.toString(value));
    }

    default void field(String name, boolean value) {
        field(name, value ? "true" : "false");
    }
}
