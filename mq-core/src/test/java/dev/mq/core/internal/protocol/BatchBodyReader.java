package dev.mq.core.internal.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a batch body back into records, checking the fixed fields on the way. Tests only. */
public final class BatchBodyReader {

    private BatchBodyReader() {
    }

    public static List<BatchBody.Record> read(ByteBuf in) {
        List<BatchBody.Record> records = new ArrayList<>();
        while (in.isReadable()) {
            int start = in.readerIndex();
            int totalSize = in.readInt();
            if (in.readInt() != 0 || in.readInt() != 0) {
                throw new IllegalStateException("magic and CRC must be 0 at " + start);
            }
            int flag = in.readInt();
            byte[] body = new byte[in.readInt()];
            in.readBytes(body);
            int propLen = in.readUnsignedShort();
            String properties = in.readCharSequence(propLen, StandardCharsets.UTF_8).toString();
            if (in.readerIndex() - start != totalSize) {
                throw new IllegalStateException("record at " + start + " says " + totalSize + " bytes but has "
                        + (in.readerIndex() - start));
            }
            records.add(new BatchBody.Record(flag, body, properties));
        }
        return records;
    }
}
