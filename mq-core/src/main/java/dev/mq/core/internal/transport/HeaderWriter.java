package dev.mq.core.internal.transport;

import dev.mq.core.internal.protocol.OutgoingProperties;

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

    /** A message's property string; written straight into the frame by the encoder, joined into a String by others. */
    default void field(String name, OutgoingProperties value) {
        field(name, value.toString());
    }

    default void field(String name, boolean value) {
        field(name, value ? "true" : "false");
    }
}
