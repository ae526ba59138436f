package dev.mq.core.internal.protocol;

import dev.mq.core.MQException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The body of a {@code SEND_BATCH_MESSAGE} request: one record per message, big-endian,
 * {@code totalSize | magic 0 | bodyCRC 0 | flag | bodyLen | body | int16 propLen | properties}.
 * The broker fills in magic and CRC itself.
 *
 * <p>Size first ({@link #encodedSize}), then write into a buffer of that size ({@link #encode}),
 * so a batch is laid out once, straight into the frame.
 */
public final class BatchBody {

    /** Fixed bytes per record: five int32 fields and the int16 properties length. */
    public static final int RECORD_OVERHEAD = 22;

    private BatchBody() {
    }

    /**
     * One message of a batch. The body array is shared, not copied, and compared by identity.
     *
     * @param flag       the user flag
     * @param body       the uncompressed body (batches are never compressed)
     * @param properties the message's own property string, including its UNIQ_KEY; null means none
     */
    public record Record(int flag, byte[] body, String properties) {

        public Record {
            Objects.requireNonNull(body, "body");
            if (properties == null) {
                properties = "";
            }
        }
    }

    /**
     * The encoded size of {@code records} in bytes.
     *
     * @throws MQException VALIDATION if a record's properties exceed 32767 UTF-8 bytes
     */
    public static int encodedSize(List<Record> records) {
        long size = 0;
        for (int i = 0, n = records.size(); i < n; i++) {
            Record r = records.get(i);
            size += RECORD_OVERHEAD + r.body.length + propertiesLength(r, i);
        }
        if (size > Integer.MAX_VALUE) {
            throw MQException.validation("batch body would be " + size + " bytes: far above any broker's limit");
        }
        return (int) size;
    }

    /**
     * Writes {@code records} to {@code out}, which must have room for {@link #encodedSize} bytes.
     *
     * @throws MQException VALIDATION if a record's properties exceed 32767 UTF-8 bytes
     */
    public static void encode(List<Record> records, ByteBuf out) {
        for (int i = 0, n = records.size(); i < n; i++) {
            Record r = records.get(i);
            writeRecord(out, r.flag, r.body, r.properties, propertiesLength(r, i));
        }
    }

    /** The encoded size of one record with {@code bodyLength} body bytes and {@code propertiesUtf8Length}. */
    public static int recordSize(int bodyLength, int propertiesUtf8Length) {
        return RECORD_OVERHEAD + bodyLength + propertiesUtf8Length;
    }

    /**
     * Writes one record. {@code propertiesUtf8Length} must be {@link MessageProperties#utf8Length} of
     * {@code properties}, at most {@link MessageProperties#MAX_UTF8_LENGTH}.
     */
    public static void writeRecord(ByteBuf out, int flag, byte[] body, String properties, int propertiesUtf8Length) {
        writeRecordUpToProperties(out, flag, body, propertiesUtf8Length);
        writeUtf8(out, properties, propertiesUtf8Length);
    }

    /** Writes one record whose properties are written straight from the message ({@link OutgoingProperties}). */
    public static void writeRecord(ByteBuf out, int flag, byte[] body, OutgoingProperties properties) {
        writeRecordUpToProperties(out, flag, body, properties.utf8Length());
        properties.writeUtf8(out);
    }

    /** A record's fields before its properties' bytes: size, magic and CRC (0), flag, body, properties length. */
    private static void writeRecordUpToProperties(ByteBuf out, int flag, byte[] body, int propertiesUtf8Length) {
        out.writeInt(recordSize(body.length, propertiesUtf8Length));
        out.writeInt(0);
        out.writeInt(0);
        out.writeInt(flag);
        out.writeInt(body.length);
        out.writeBytes(body);
        out.writeShort(propertiesUtf8Length);
    }

    private static void writeUtf8(ByteBuf out, String s, int utf8Length) {
        if (utf8Length == s.length()) {
            // All ASCII, the usual case: one byte per char, no copy.
            out.writeCharSequence(s, StandardCharsets.US_ASCII);
        } else {
            // Netty's own UTF-8 writer encodes an unpaired surrogate differently from the JDK, which
            // would break the length already written; the JDK encoder agrees with utf8Length.
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static int propertiesLength(Record r, int index) {
        int len = MessageProperties.utf8Length(r.properties);
        if (len > MessageProperties.MAX_UTF8_LENGTH) {
            throw MQException.validation("properties of batch message " + index + " are " + len
                    + " bytes in UTF-8: at most " + MessageProperties.MAX_UTF8_LENGTH + " are allowed");
        }
        return len;
    }
}
