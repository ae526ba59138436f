package dev.mq.core.internal.transport;

import java.util.Map;

/** A typed request header that writes its own fields. */
@FunctionalInterface
public interface CommandHeader {

    /** A header without fields. */
    CommandHeader EMPTY = writer -> { };

    /** Writes each non-null field; {@code extFields} values are always strings on the wire. */
    void writeTo(HeaderWriter writer);

    /** A header holding the entries of {@code fields}, for the occasional control request. */
    static CommandHeader of(Map<String, String> fields) {
        return writer -> fields.forEach((name, value) -> {
            if (value != null) {
                writer.field(name, value);
            }
        });
    }
}
