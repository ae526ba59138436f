package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mq.core.Message;
import dev.mq.core.testing.ForAll;
import dev.mq.core.testing.Gen;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the message encodings over random input ({@link ForAll}, fixed seeds): the property
 * string round-trips every valid map and every valid message, and a batch body is exactly as long as
 * announced, laid out record by record as RocketMQ reads it.
 */
class MessageCodecPropertiesTest {

    @Test
    void everyValidPropertyMapRoundTrips() {
        ForAll.check("property map round trip", 1_000, MessageCodecPropertiesTest::validMap, map ->
                assertThat(MessageProperties.decode(MessageProperties.encode(map))).containsExactlyEntriesOf(map));
    }

    @Test
    void everyValidMessageEncodesToPropertiesThatDecodeBack() {
        ForAll.check("message properties round trip", 1_000, r -> {
            Message.Builder b = Message.builder("T").body("x").properties(userMap(r));
            if (r.nextBoolean()) {
                b.tags("t" + Gen.propertyText(r, 12)); // non-blank
            }
            List<String> keys = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                keys.add(Gen.propertyText(r, 10).replace(' ', '_'));
            }
            b.keys(keys);
            switch (r.nextInt(4)) {
                case 0 -> b.delayLevel(1 + r.nextInt(18));
                case 1 -> b.deliveryDelay(java.time.Duration.ofMillis(r.nextInt(Integer.MAX_VALUE)));
                case 2 -> b.deliverAt(java.time.Instant.ofEpochMilli(r.nextLong() & Long.MAX_VALUE));
                default -> { }
            }
            return b.build();
        }, message -> {
            Validation.checkMessage(message, Validation.DEFAULT_MAX_BODY_BYTES); // a valid message, as promised
            String encoded = MessageProperties.encode(message, "UNIQ-ID", true);
            Map<String, String> decoded = MessageProperties.decode(encoded);
            Map<String, String> expected = new LinkedHashMap<>(message.properties());
            if (message.tags() != null) {
                expected.put("TAGS", message.tags());
            }
            if (!message.keys().isEmpty()) {
                expected.put("KEYS", String.join(" ", message.keys()));
            }
            if (message.delayLevel() > 0) {
                expected.put("DELAY", Integer.toString(message.delayLevel()));
            } else if (message.deliveryDelay() != null) {
                expected.put("TIMER_DELAY_MS", Long.toString(message.deliveryDelay().toMillis()));
            } else if (message.deliverAt() != null) {
                expected.put("TIMER_DELIVER_MS", Long.toString(message.deliverAt().toEpochMilli()));
            }
            expected.put("UNIQ_KEY", "UNIQ-ID");
            expected.put("WAIT", "true");
            assertThat(decoded).containsExactlyEntriesOf(expected);
            assertThat(MessageProperties.utf8Length(encoded)).isEqualTo(encoded.getBytes(StandardCharsets.UTF_8).length);
        });
    }

    @Test
    void batchBodyIsAsLongAsAnnouncedAndReadsBackRecordByRecord() {
        ForAll.check("batch body layout", 500, r -> {
            List<BatchBody.Record> records = new ArrayList<>();
            for (int i = 1 + r.nextInt(20); i > 0; i--) {
                records.add(new BatchBody.Record(Gen.anInt(r), Gen.bytes(r, 512),
                        r.nextInt(5) == 0 ? null : MessageProperties.encode(validMap(r))));
            }
            return records;
        }, records -> {
            int size = BatchBody.encodedSize(records);
            long expected = 0;
            for (BatchBody.Record rec : records) {
                expected += BatchBody.RECORD_OVERHEAD + rec.body().length
                        + rec.properties().getBytes(StandardCharsets.UTF_8).length;
            }
            assertThat(size).isEqualTo(expected);
            ByteBuf out = Unpooled.buffer(size, size); // a write past the announced size would throw
            BatchBody.encode(records, out);
            assertThat(out.readableBytes()).isEqualTo(size);
            int at = 0;
            for (BatchBody.Record rec : records) { // totalSize fields chain exactly through the body
                assertThat(out.getInt(at)).isEqualTo(BatchBody.RECORD_OVERHEAD + rec.body().length
                        + rec.properties().getBytes(StandardCharsets.UTF_8).length);
                at += out.getInt(at);
            }
            assertThat(at).isEqualTo(size);
            List<BatchBody.Record> back = BatchBodyReader.read(out);
            assertThat(back).hasSameSizeAs(records);
            for (int i = 0; i < records.size(); i++) {
                assertThat(back.get(i).flag()).isEqualTo(records.get(i).flag());
                assertThat(back.get(i).body()).isEqualTo(records.get(i).body());
                assertThat(back.get(i).properties()).isEqualTo(records.get(i).properties());
            }
        });
    }

    /** Non-empty names and values without 0x01/0x02: what a property string can carry. */
    private static Map<String, String> validMap(Random r) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = r.nextInt(12); i > 0; i--) {
            map.put(Gen.propertyText(r, 16), Gen.propertyText(r, 40));
        }
        return map;
    }

    /** A valid map without reserved names, as a user may set it on a message. */
    private static Map<String, String> userMap(Random r) {
        Map<String, String> map = validMap(r);
        map.keySet().removeIf(MessageProperties::isReserved);
        return map;
    }
}
