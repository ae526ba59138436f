package dev.mq.core.internal.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A request header kept as plain data: it lists its extFields as name/value strings and leaves
 * framing to whoever sends it, so the protocol package stays free of the transport (a sender adapts
 * it with one lambda: {@code writer -> fields.writeFields(writer::field)}).
 */
public interface RequestFields {

    /** Passes each present field, as its wire string; absent optional fields are not passed. */
    void writeFields(BiConsumer<String, String> sink);

    /** The fields in the order {@link #writeFields} passes them; for logs and tests. */
    default Map<String, String> toMap() {
        Map<String, String> fields = new LinkedHashMap<>();
        writeFields(fields::put);
        return fields;
    }
}
