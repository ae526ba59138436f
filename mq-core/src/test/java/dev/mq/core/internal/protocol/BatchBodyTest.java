package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mq.core.MQException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchBodyTest {

    @Test
    void encodesTheFactSheetRecordByteForByte() {
        String props = "UNIQ_KEY\u0001" + "FD" + "0".repeat(54) + "\u0002WAIT\u0001true\u0002";
        List<BatchBody.Record> records = List.of(new BatchBody.Record(0, "hi".getBytes(StandardCharsets.US_ASCII), props));

        ByteBuf out = Unpooled.buffer();
        BatchBody.encode(records, out);

        assertThat(props).hasSize(0x4c);
        assertThat(BatchBody.encodedSize(records)).isEqualTo(0x64).isEqualTo(out.readableBytes());
        assertThat(ByteBufUtil.hexDump(out, 0, 24)).isEqualTo("00000064" + "00000000" + "00000000" + "00000000"
                + "00000002" + "6869" + "004c");
        assertThat(out.toString(24, 0x4c, StandardCharsets.UTF_8)).isEqualTo(props);
    }

    @Test
    void recordsRoundTripWithFlagsAndMultiByteProperties() {
        List<BatchBody.Record> records = List.of(
                new BatchBody.Record(7, new byte[] {1, 2, 3}, "k\u0001中文\u0002"),
                new BatchBody.Record(-1, new byte[0], null),
                new BatchBody.Record(0, new byte[1000], "WAIT\u0001true\u0002"));
        int size = BatchBody.encodedSize(records);
        ByteBuf out = Unpooled.buffer(size, size);

        BatchBody.encode(records, out);

        assertThat(out.readableBytes()).isEqualTo(size)
                .isEqualTo(3 * 22 + 3 + 0 + 1000 + "k\u0001中文\u0002".getBytes(StandardCharsets.UTF_8).length + 10);
        List<BatchBody.Record> back = BatchBodyReader.read(out);
        assertThat(back).hasSize(3);
        assertThat(back.get(0).flag()).isEqualTo(7);
        assertThat(back.get(0).body()).containsExactly(1, 2, 3);
        assertThat(back.get(0).properties()).isEqualTo("k\u0001中文\u0002");
        assertThat(back.get(1).flag()).isEqualTo(-1);
        assertThat(back.get(1).properties()).isEmpty();
        assertThat(back.get(2).body()).hasSize(1000);
    }

    @Test
    void sizeMatchesTheBytesWrittenForAnyText() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            char[] chars = new char[random.nextInt(30)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
            }
            String props = new String(chars);
            List<BatchBody.Record> records = List.of(new BatchBody.Record(round, new byte[] {1}, props));
            int size = BatchBody.encodedSize(records);
            ByteBuf out = Unpooled.buffer(size, size);
            BatchBody.encode(records, out);
            assertThat(out.readableBytes()).as("round %d", round).isEqualTo(size);
            assertThat(BatchBodyReader.read(out).get(0).properties())
                    .isEqualTo(new String(props.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }
    }

    @Test
    void oversizedPropertiesAreRefusedBeforeWriting() {
        List<BatchBody.Record> records = List.of(new BatchBody.Record(0, new byte[1], "é".repeat(16_384)));
        ByteBuf out = Unpooled.buffer();
        assertThatThrownBy(() -> BatchBody.encodedSize(records))
                .isInstanceOf(MQException.class).hasMessageContaining("32768 bytes").hasMessageContaining("32767");
        assertThatThrownBy(() -> BatchBody.encode(records, out)).isInstanceOf(MQException.class);
        assertThat(out.writerIndex()).isZero();
    }

    @Test
    void aRecordNeedsABody() {
        assertThatThrownBy(() -> new BatchBody.Record(0, null, "")).isInstanceOf(NullPointerException.class);
    }
}
